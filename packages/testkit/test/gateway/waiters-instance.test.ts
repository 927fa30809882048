import { StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { WaiterEvent } from '@aws-trpc/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, type StreamsHarness, startStreamsHarness } from './streams-harness';

let h: StreamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Ec2Client = StreamsHarness['client']['ec2'];

/** Subscribes to a waiter and exposes its events and its end. */
function wait<
  K extends
    | 'waitUntilInstanceRunning'
    | 'waitUntilInstanceStopped'
    | 'waitUntilInstanceExists'
    | 'waitUntilInstanceStatusOk',
>(harness: StreamsHarness, name: K, input: Parameters<Ec2Client[K]['subscribe']>[0]) {
  const events = collect<WaiterEvent>();
  const errors: unknown[] = [];
  let resolveEnd: () => void;
  const ended = new Promise<void>((r) => {
    resolveEnd = r;
  });
  type Subscribable = { subscribe(input: unknown, handlers: object): { unsubscribe(): void } };
  const sub = (harness.client.ec2 as unknown as Record<K, Subscribable>)[name].subscribe(input, {
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
    unsubscribe: () => sub.unsubscribe(),
    /** The final event, once the waiter has ended. */
    async result() {
      await ended;
      return events.events[events.events.length - 1];
    },
  };
}

describe('instance waiters over SSE', () => {
  it('streams progress and succeeds with the describe output, reading the shared source only', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    const w = wait(h, 'waitUntilInstanceRunning', { InstanceIds: [id], maxWaitSeconds: 60 });
    const [first] = await w.until(1);
    expect(first).toMatchObject({ type: 'progress', attempt: 1, observed: { [id]: 'pending' } });
    await h.scheduler.advance(5_000);
    const result = await w.result();
    expect(result).toMatchObject({ type: 'result', outcome: 'success' });
    const output =
      result?.type === 'result' && result.outcome === 'success' ? (result.output as any) : undefined;
    expect(output.Reservations[0].Instances[0]).toMatchObject({ InstanceId: id, State: { Name: 'running' } });
    expect(w.events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(2);
    // Every DescribeInstances the emulator saw was one of the shared source's polls.
    expect(h.describes()).toBe(h.streams.stats().upstreamCalls);
    expect(w.errors).toEqual([]);
  });

  it('fails fast on a terminal state instead of running out the clock', async () => {
    h = await startStreamsHarness();
    const stopped = await h.run();
    await h.scheduler.advance(6_000);
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    await h.scheduler.advance(6_000);
    // The SDK's own acceptors would retry a stopped instance until the timeout.
    const w1 = wait(h, 'waitUntilInstanceRunning', { InstanceIds: [stopped], maxWaitSeconds: 600 });
    expect(await w1.result()).toMatchObject({
      type: 'result',
      outcome: 'failure',
      reason: `${stopped} is stopped`,
      observed: { [stopped]: 'stopped' },
      attempt: 1,
    });

    const doomed = await h.run();
    const w2 = wait(h, 'waitUntilInstanceRunning', { InstanceIds: [doomed], maxWaitSeconds: 600 });
    await w2.until(1);
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [doomed] }));
    await h.scheduler.advance(1_000);
    const result = await w2.result();
    expect(result).toMatchObject({ outcome: 'failure', observed: { [doomed]: 'shutting-down' } });
    expect(result?.type === 'result' && result.elapsedMs).toBeLessThanOrEqual(1_000);
  });

  it('times out with the last observed state', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    await h.scheduler.advance(6_000);
    const w = wait(h, 'waitUntilInstanceStopped', { InstanceIds: [id], maxWaitSeconds: 25 });
    await w.until(1);
    await h.scheduler.advance(25_000); // slow reads at 10 s and 20 s, the deadline at 25 s
    expect(await w.result()).toMatchObject({
      type: 'result',
      outcome: 'timeout',
      lastObserved: { [id]: 'running' },
      elapsedMs: 25_000,
    });
  });

  it('fails fast on a non-retryable error, and on NotFound once the grace is over', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    h.emu.control.faults.fail(1, {
      service: 'ec2',
      action: 'DescribeInstanceStatus',
      code: 'UnauthorizedOperation',
      status: 403,
      message: 'You are not authorized to perform this operation.',
    });
    const denied = wait(h, 'waitUntilInstanceStatusOk', { InstanceIds: [id] });
    expect(await denied.result()).toMatchObject({
      outcome: 'failure',
      error: { code: 'UnauthorizedOperation' },
      attempt: 1,
    });

    const missing = wait(h, 'waitUntilInstanceExists', { InstanceIds: ['i-0123456789abcdef0'] });
    const [first] = await missing.until(1);
    expect(first).toMatchObject({ type: 'progress', error: { code: 'InvalidInstanceID.NotFound' } });
    await h.scheduler.advance(40_000);
    const result = await missing.result();
    expect(result).toMatchObject({ outcome: 'failure', error: { code: 'InvalidInstanceID.NotFound' } });
    expect(result?.type === 'result' && result.elapsedMs).toBeGreaterThanOrEqual(30_000);
  });

  it('rejects invalid input before any AWS call', async () => {
    h = await startStreamsHarness();
    const bad = wait(h, 'waitUntilInstanceRunning', { InstanceIds: 'i-1' as never });
    const badOption = wait(h, 'waitUntilInstanceRunning', { maxWaitSeconds: -1 });
    await bad.result();
    await badOption.result();
    expect(String((bad.errors[0] as Error).message)).toMatch(/InstanceIds/);
    expect(String((badOption.errors[0] as Error).message)).toMatch(/maxWaitSeconds/);
    expect(h.emu.control.requests.count()).toBe(0);
  });

  it('cleans up when the subscriber goes away', async () => {
    h = await startStreamsHarness({ lingerMs: 0 });
    const id = await h.run();
    await h.scheduler.advance(6_000);
    const w = wait(h, 'waitUntilInstanceStopped', { InstanceIds: [id] });
    await w.until(1);
    w.unsubscribe();
    await vi.waitUntil(() => h!.streams.stats().listeners === 0);
    const calls = h.describes();
    await h.scheduler.advance(10 * 60_000);
    expect(h.describes()).toBe(calls);
    expect(h.scheduler.pending).toBe(0);

    expect(h.scheduler.pending).toBe(0);
  });
});
