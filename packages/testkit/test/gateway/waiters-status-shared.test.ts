import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { WaiterEvent } from '@aws-trpc/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, type StreamsHarness, startStreamsHarness } from './streams-harness';

let h: StreamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type StatusWaiter = 'waitUntilInstanceStatusOk' | 'waitUntilSystemStatusOk';
type WaiterInput = { InstanceIds: string[]; IncludeAllInstances?: boolean; maxWaitSeconds?: number };

const statusCalls = (harness: StreamsHarness) =>
  harness.emu.control.requests.count({ service: 'ec2', action: 'DescribeInstanceStatus' });

/** Subscribes to a status waiter over SSE and exposes its events and its end. */
function wait(harness: StreamsHarness, name: StatusWaiter, input: WaiterInput) {
  const events = collect<WaiterEvent>();
  const errors: unknown[] = [];
  let resolveEnd: () => void;
  const ended = new Promise<void>((r) => {
    resolveEnd = r;
  });
  harness.client.ec2[name].subscribe(input, {
    onData: (e: WaiterEvent) => events.push(e),
    onError: (e: unknown) => {
      errors.push(e);
      resolveEnd();
    },
    onComplete: () => resolveEnd(),
  });
  return {
    ...events,
    errors,
    last: () => events.events[events.events.length - 1],
    async result() {
      await ended;
      return events.events[events.events.length - 1];
    },
  };
}

type Waiting = ReturnType<typeof wait>;

/**
 * Moves the clock one fast interval at a time. Each step is one read of the shared source, and every
 * waiter answers each read with exactly one event, so the test awaits those events before the next step:
 * the number of reads (and upstream calls) is then fixed by the virtual timeline alone.
 */
async function stepUntilDone(harness: StreamsHarness, waiters: Waiting[], maxSteps = 30): Promise<number> {
  await Promise.all(waiters.map((w) => w.until(1)));
  for (let step = 1; step <= maxSteps; step++) {
    if (waiters.every((w) => w.last()?.type === 'result')) return step;
    await harness.scheduler.advance(1_000);
    await Promise.all(waiters.map((w) => w.until(step + 1)));
  }
  throw new Error(`the waiters did not end within ${maxSteps} steps`);
}

/** Runs an instance and waits for it with `n` concurrent InstanceStatusOk waiters on a fresh source. */
async function statusOkWith(harness: StreamsHarness, n: number) {
  const id = await harness.run();
  const before = statusCalls(harness);
  const waiters = Array.from({ length: n }, () =>
    wait(harness, 'waitUntilInstanceStatusOk', { InstanceIds: [id] }),
  );
  await stepUntilDone(harness, waiters);
  const cost = statusCalls(harness) - before;
  const results = await Promise.all(waiters.map((w) => w.result()));
  // lingerMs 0: the source goes with its last waiter, so the next round starts from nothing too.
  await vi.waitUntil(() => harness.streams.stats().sources === 0);
  return { id, cost, results, attempts: results.map((r) => r?.attempt) };
}

describe('status waiters read the shared state source', () => {
  it('costs the same DescribeInstanceStatus calls for 5 concurrent waiters as for 1', async () => {
    h = await startStreamsHarness({ lingerMs: 0 });
    const one = await statusOkWith(h, 1);
    const five = await statusOkWith(h, 5);

    for (const { id, results } of [one, five]) {
      for (const r of results) {
        expect(r).toMatchObject({ type: 'result', outcome: 'success' });
        const output = r?.type === 'result' && r.outcome === 'success' ? (r.output as any) : undefined;
        expect(output.InstanceStatuses).toEqual([
          expect.objectContaining({
            InstanceId: id,
            InstanceState: expect.objectContaining({ Name: 'running' }),
            InstanceStatus: expect.objectContaining({ Status: 'ok' }),
          }),
        ]);
      }
    }
    expect(five.cost).toBe(one.cost);
    // One call per shared read: pending 5 s, then checks initializing 5 s, read each second, then ok.
    expect(one.cost).toBe(11);
    expect(one.attempts).toEqual([11]);
    expect(five.attempts).toEqual([11, 11, 11, 11, 11]);
    // The DescribeInstances the waiters caused were all the source's own reads.
    expect(h.describes()).toBe(h.streams.stats().upstreamCalls);
  });

  it('makes no DescribeInstanceStatus call for plain subscribers, and stops once the last status waiter ends', async () => {
    h = await startStreamsHarness();
    const changes = collect<unknown>();
    const sub = h.client.ec2.onInstanceStateChange.subscribe(
      {},
      { onData: (e) => changes.push(e), onError: (e) => changes.push(e) },
    );
    await changes.until(1); // snapshot
    const id = await h.run();
    await h.scheduler.advance(30_000);
    // Read at the 10 s slow interval, by then already running.
    expect((await changes.until(2))[1]).toMatchObject({ data: { instanceId: id, state: 'running' } });
    expect(h.describes()).toBeGreaterThan(0);
    expect(statusCalls(h)).toBe(0);

    const w = wait(h, 'waitUntilSystemStatusOk', { InstanceIds: [id] });
    await stepUntilDone(h, [w]);
    const result = await w.result();
    expect(result).toMatchObject({ type: 'result', outcome: 'success' });
    const output = result?.type === 'result' && result.outcome === 'success' ? (result.output as any) : {};
    expect(output.InstanceStatuses[0]).toMatchObject({ InstanceId: id, SystemStatus: { Status: 'ok' } });
    expect(statusCalls(h)).toBeGreaterThan(0);

    await vi.waitUntil(() => h!.streams.stats().listeners === 1);
    const afterWaiter = statusCalls(h);
    const describesBefore = h.describes();
    await h.scheduler.advance(60_000);
    expect(h.describes()).toBeGreaterThan(describesBefore); // the subscriber's source keeps reading...
    expect(statusCalls(h)).toBe(afterWaiter); // ...without the status checks
    sub.unsubscribe();
  });

  it('fails fast when the instance stops while waiting for status ok, with or without IncludeAllInstances', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    await h.scheduler.advance(6_000); // running, checks initializing
    const plain = wait(h, 'waitUntilInstanceStatusOk', { InstanceIds: [id], maxWaitSeconds: 600 });
    const all = wait(h, 'waitUntilInstanceStatusOk', {
      InstanceIds: [id],
      IncludeAllInstances: true,
      maxWaitSeconds: 600,
    });
    expect((await plain.until(1))[0]).toMatchObject({
      type: 'progress',
      observed: { [id]: 'running/initializing/initializing' },
    });
    await all.until(1);
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.scheduler.advance(1_000);
    // Without IncludeAllInstances AWS omits the stopping instance; the source's state still names it.
    expect(await plain.result()).toMatchObject({
      type: 'result',
      outcome: 'failure',
      reason: `${id} is stopping`,
      observed: { [id]: 'stopping' },
      elapsedMs: 1_000,
    });
    expect(await all.result()).toMatchObject({
      type: 'result',
      outcome: 'failure',
      observed: { [id]: 'stopping/not-applicable/not-applicable' },
      elapsedMs: 1_000,
    });
  });

  it('times out with the last observed state', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    const w = wait(h, 'waitUntilInstanceStatusOk', { InstanceIds: [id], maxWaitSeconds: 3 });
    await w.until(1);
    await h.scheduler.advance(3_000);
    expect(await w.result()).toMatchObject({
      type: 'result',
      outcome: 'timeout',
      lastObserved: { [id]: 'pending' },
      elapsedMs: 3_000,
    });
    expect(w.errors).toEqual([]);
  });
});
