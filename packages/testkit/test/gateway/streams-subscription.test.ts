import { StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { InstanceStateEvent } from '@aws-trpc/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, type StreamsHarness, startStreamsHarness } from './streams-harness';

type Received = { id?: string; data: InstanceStateEvent };

let h: StreamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type SubscribeInput = Parameters<StreamsHarness['client']['ec2']['onInstanceStateChange']['subscribe']>[0];

function subscribe(harness: StreamsHarness, input: SubscribeInput) {
  const received = collect<Received>();
  const errors: unknown[] = [];
  const sub = harness.client.ec2.onInstanceStateChange.subscribe(input, {
    onData: (value) => received.push(value as Received),
    onError: (error) => errors.push(error),
  });
  return { ...received, errors, unsubscribe: () => sub.unsubscribe() };
}

const transitions = (events: Received[]) =>
  events
    .map((e) => e.data)
    .filter((d) => d.type === 'change')
    .map((d) => (d.type === 'change' ? `${d.instanceId}:${d.previousState}>${d.state}` : ''));

const tag = (team: string) => ({
  TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'team', Value: team }] }],
});

describe('ec2.onInstanceStateChange over SSE', () => {
  it('gives 3 subscribers with different filters exactly their own transitions, in order', async () => {
    h = await startStreamsHarness({ slowIntervalMs: 1_000 });
    const blue = subscribe(h, { filters: [{ Name: 'tag:team', Values: ['blue'] }] });
    const red = subscribe(h, { filters: [{ Name: 'tag:team', Values: ['r?d'] }] });
    const stopped = subscribe(h, { filters: [{ Name: 'instance-state-name', Values: ['stopp*'] }] });
    for (const s of [blue, red, stopped])
      expect((await s.until(1))[0]!.data).toMatchObject({ type: 'snapshot', instances: [] });

    const a = await h.run(tag('blue'));
    const b = await h.run(tag('red'));
    await h.scheduler.advance(1_000); // both pending
    await h.scheduler.advance(5_000); // both running
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [a] }));
    await h.scheduler.advance(1_000); // a stopping
    await h.scheduler.advance(5_000); // a stopped
    await h.ec2.send(new StartInstancesCommand({ InstanceIds: [a] }));
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [b] }));
    await h.scheduler.advance(1_000); // a pending, b shutting-down
    await h.scheduler.advance(5_000); // a running, b terminated

    expect(transitions(await blue.until(7))).toEqual([
      `${a}:null>pending`,
      `${a}:pending>running`,
      `${a}:running>stopping`,
      `${a}:stopping>stopped`,
      `${a}:stopped>pending`,
      `${a}:pending>running`,
    ]);
    expect(transitions(await red.until(5))).toEqual([
      `${b}:null>pending`,
      `${b}:pending>running`,
      `${b}:running>shutting-down`,
      `${b}:shutting-down>terminated`,
    ]);
    expect(transitions(await stopped.until(4))).toEqual([
      `${a}:running>stopping`,
      `${a}:stopping>stopped`,
      `${a}:stopped>pending`,
    ]);
    const change = (await blue.until(7))[1]!;
    expect(change.id).toMatch(/\.\d+$/);
    expect(change.data).toMatchObject({
      type: 'change',
      instanceId: a,
      instanceType: 't3.micro',
      availabilityZone: expect.stringMatching(/^us-east-1[abc]$/),
      tags: { team: 'blue' },
      observedAt: expect.any(String),
    });
  });

  it('resumes from lastEventId with exactly the missed events, and resyncs a cursor older than the buffer', async () => {
    h = await startStreamsHarness({ slowIntervalMs: 1_000, bufferSize: 6 });
    const steady = subscribe(h, {});
    const flaky = subscribe(h, {});
    await steady.until(1);
    await flaky.until(1);
    const id = await h.run();
    await h.scheduler.advance(1_000);
    await h.scheduler.advance(5_000);
    const seen = await flaky.until(3); // snapshot, pending, running
    flaky.unsubscribe();
    const cursor = seen[seen.length - 1]!.id!;

    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.scheduler.advance(1_000);
    await h.scheduler.advance(5_000);
    const all = await steady.until(5);

    const resumed = subscribe(h, { lastEventId: cursor });
    const missed = await resumed.until(2);
    expect(missed).toEqual(all.slice(3, 5));
    expect(transitions(missed)).toEqual([`${id}:running>stopping`, `${id}:stopping>stopped`]);

    // Both keep going, and see the same next event once.
    await h.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await h.scheduler.advance(1_000);
    expect((await resumed.until(3))[2]).toEqual((await steady.until(6))[5]);
    resumed.unsubscribe();

    // Many changes later the old cursor has dropped out of the 6-entry buffer: an explicit resync.
    for (let i = 0; i < 3; i++) await h.run();
    await h.scheduler.advance(1_000);
    await h.scheduler.advance(5_000);
    const stale = subscribe(h, { lastEventId: cursor });
    const [first] = await stale.until(1);
    expect(first!.data).toMatchObject({ type: 'resync', reason: 'cursor-expired' });
    expect(first!.data.type === 'resync' && first!.data.instances.length).toBe(4);

    // A cursor from another source life (e.g. a gateway restart) resyncs too.
    const foreign = subscribe(h, { lastEventId: 'zzzz.3' });
    expect((await foreign.until(1))[0]!.data).toMatchObject({ type: 'resync', reason: 'source-restarted' });
  });

  it('reads upstream the same number of times for 1 subscriber and for 100', async () => {
    const script = async (subscribers: number) => {
      h = await startStreamsHarness();
      const subs = Array.from({ length: subscribers }, (_, i) =>
        subscribe(
          h!,
          i % 2 ? { states: ['running'] } : { filters: [{ Name: 'instance-type', Values: ['t3.*'] }] },
        ),
      );
      await Promise.all(subs.map((s) => s.until(1)));
      const id = await h.run();
      await h.scheduler.advance(10_000);
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      await h.scheduler.advance(10_000);
      await h.scheduler.advance(10_000);
      await Promise.all(subs.map((s, i) => s.until(i % 2 ? 2 : 3)));
      const count = h.describes();
      for (const s of subs) s.unsubscribe();
      await h.close();
      h = undefined;
      return count;
    };
    const one = await script(1);
    const hundred = await script(100);
    expect(one).toBeGreaterThan(0);
    expect(hundred).toBe(one);
  });

  it('does not poll with 0 subscribers, and stops polling when the last one leaves', async () => {
    h = await startStreamsHarness({ lingerMs: 0 });
    await h.run();
    await h.scheduler.advance(10 * 60_000);
    expect(h.describes()).toBe(0);

    const s = subscribe(h, {});
    await s.until(1);
    expect(h.describes()).toBe(1);
    s.unsubscribe();
    // The server notices the disconnect asynchronously; wait for the listener to go, not for time.
    await vi.waitUntil(() => h!.streams.stats().listeners === 0);
    const after = h.describes();
    await h.scheduler.advance(10 * 60_000);
    expect(h.describes()).toBe(after);
    expect(h.scheduler.pending).toBe(0);
  });

  it('tells subscribers when upstream degrades and recovers, without ending the stream', async () => {
    h = await startStreamsHarness();
    const s = subscribe(h, {});
    await s.until(1);
    h.emu.control.faults.fail(2, {
      service: 'ec2',
      action: 'DescribeInstances',
      code: 'InternalError',
      status: 500,
    });
    await h.scheduler.advance(10_000);
    await h.scheduler.advance(1_000);
    await h.scheduler.advance(2_000);
    const events = await s.until(3);
    expect(events.slice(1).map((e) => e.data)).toMatchObject([
      { type: 'status', status: 'degraded', error: { code: 'InternalError' } },
      { type: 'status', status: 'recovered' },
    ]);
    const id = await h.run();
    await h.scheduler.advance(10_000);
    expect(transitions(await s.until(4))).toEqual([`${id}:null>running`]);
    expect(s.errors).toEqual([]);
  });

  it('rejects a filter the stream cannot evaluate', async () => {
    h = await startStreamsHarness();
    const s = subscribe(h, { filters: [{ Name: 'no-such-filter', Values: ['x'] }] });
    await vi.waitUntil(() => s.errors.length > 0);
    expect(String((s.errors[0] as Error).message)).toMatch(/no-such-filter/);
    expect(h.describes()).toBe(0);
  });
});
