import { RunInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, InstanceStateEvent } from '@aws-trpc/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Stack, startStack } from '../../src/index';

/**
 * The push source against the emulator's EventBridge → SQS chain, on the virtual clock: the emulator
 * delivers each transition's event when its clock passes it, and its delivery faults duplicate,
 * reorder and delay them, as SQS may.
 */

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function pushStack(): Promise<Stack> {
  // SDK retries off: a failing SQS call surfaces at once instead of after backoffs on the real clock.
  stack = await startStack({
    events: true,
    gateway: { maxAttempts: 1 },
    streams: { fastIntervalMs: 1_000, slowIntervalMs: 30_000 },
  });
  return stack;
}

/** Every change the client's subscription hears, and the status events. */
function subscribe(s: Stack) {
  const changes: InstanceChangeEvent[] = [];
  const statuses: string[] = [];
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const sub = s.client.ec2.onInstanceStateChange.subscribe(
    {},
    {
      onData(data: unknown) {
        const event = ((data as { data?: InstanceStateEvent }).data ?? data) as InstanceStateEvent;
        if (event.type === 'snapshot') opened();
        if (event.type === 'change') changes.push(event);
        if (event.type === 'status') statuses.push(event.status);
      },
    },
  );
  return {
    changes,
    statuses,
    open,
    states: (id: string) => changes.filter((c) => c.instanceId === id).map((c) => c.state),
    close: () => sub.unsubscribe(),
  };
}

async function launch(s: Stack): Promise<string> {
  const out = await s.sdk.ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0453ec754f44f9a4a',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
    }),
  );
  return out.Instances![0]!.InstanceId!;
}

/**
 * Moves the virtual clock a second at a time until `done`. Between steps the feed's HTTP round trips
 * to the emulator (real sockets) get a few milliseconds to land: the clock is virtual, the I/O is not.
 */
async function advanceUntil(s: Stack, done: () => boolean, limitMs = 120_000): Promise<void> {
  for (let t = 0; t < limitMs && !done(); t += 1_000) {
    await s.clock!.advance(1_000);
    await vi.waitUntil(done, { timeout: 20, interval: 2 }).catch(() => undefined);
  }
  expect(done()).toBe(true);
}

/** A state sequence is forward: each state can follow the one before (no duplicate, no way back). */
const forward: Record<string, string[]> = {
  pending: ['running', 'shutting-down', 'stopping', 'stopped', 'terminated'],
  running: ['stopping', 'stopped', 'shutting-down', 'terminated'],
  stopping: ['stopped', 'shutting-down', 'terminated'],
  stopped: ['pending', 'running', 'shutting-down', 'terminated'],
  'shutting-down': ['terminated'],
  terminated: [],
};
function isForward(states: string[]): boolean {
  return states.every((s, i) => i === 0 || (forward[states[i - 1]!] ?? []).includes(s));
}

describe('the push source (EventBridge → SQS)', () => {
  it('hears a change made outside the gateway from its event, with the details read once', async () => {
    const s = await pushStack();
    const sub = subscribe(s);
    await sub.open;
    const reads = s.emulator!.control.requests.count({ action: 'DescribeInstances' });
    const id = await launch(s);
    await advanceUntil(s, () => sub.states(id).includes('running'));
    const pending = sub.changes.find((c) => c.instanceId === id && c.state === 'pending')!;
    expect(pending.source).toBe('push');
    expect(pending.instanceType).toBe('t3.micro'); // filled in by one DescribeInstances of the new id
    expect(sub.states(id)).toEqual(['pending', 'running']);
    expect(s.emulator!.control.requests.count({ action: 'DescribeInstances' }) - reads).toBeLessThanOrEqual(
      3,
    );
    sub.close();
  });

  it('drops duplicated deliveries (the same event id twice)', async () => {
    const s = await pushStack();
    const sub = subscribe(s);
    await sub.open;
    s.emulator!.control.events.duplicate(10);
    const id = await launch(s);
    await advanceUntil(s, () => sub.states(id).includes('running'));
    await s.sdk.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await advanceUntil(s, () => sub.states(id).includes('stopped'));
    expect(sub.states(id)).toEqual(['pending', 'running', 'stopping', 'stopped']);
    expect(s.gateway.deps.streams!.stats().push.duplicates).toBeGreaterThan(0);
    sub.close();
  });

  it('never moves an instance back on reordered or stale deliveries', async () => {
    const s = await pushStack();
    const sub = subscribe(s);
    await sub.open;
    const id = await launch(s);
    await advanceUntil(s, () => sub.states(id).includes('running'));
    // stopping and stopped are held and then sent reversed: stopped arrives first.
    s.emulator!.control.events.reorder(2);
    await s.sdk.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await advanceUntil(s, () => sub.states(id).includes('stopped'));
    // pending is held 60 s: running (and a read) get there first; the late pending is stale.
    s.emulator!.control.events.delay(1, 60_000);
    await s.sdk.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await advanceUntil(s, () => sub.states(id).at(-1) === 'running');
    await s.clock!.advance(70_000);
    await vi.waitFor(() => expect(s.emulator!.control.events.stats().held).toBe(0));
    const states = sub.states(id);
    expect(isForward(states), states.join(' > ')).toBe(true);
    expect(states.at(-1)).toBe('running');
    expect(states.filter((x) => x === 'stopped')).toHaveLength(1);
    sub.close();
  });

  it('falls back to polling while SQS fails (degraded), and recovers with nothing lost', async () => {
    const s = await pushStack();
    const sub = subscribe(s);
    await sub.open;
    const id = await launch(s);
    await advanceUntil(s, () => sub.states(id).includes('running'));
    s.emulator!.control.faults.fail(1_000, {
      service: 'sqs',
      action: 'ReceiveMessage',
      code: 'InternalError',
      status: 500,
    });
    await advanceUntil(s, () => sub.statuses.includes('degraded'));
    // While SQS fails, a change made outside still arrives, from the source's own reads.
    await s.sdk.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await advanceUntil(s, () => sub.states(id).includes('stopped'));
    expect(sub.changes.filter((c) => c.instanceId === id && c.state === 'stopped')[0]?.source).toBe('poll');
    s.emulator!.control.faults.clear();
    await advanceUntil(s, () => sub.statuses.includes('recovered'));
    // The events queued meanwhile are stale now: nothing duplicated, nothing backwards.
    await s.sdk.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await advanceUntil(s, () => sub.states(id).at(-1) === 'running');
    const states = sub.states(id);
    // Polling alone may coalesce a stop shorter than its interval (running → stopped, honestly told).
    expect(isForward(states), states.join(' > ')).toBe(true);
    expect(states.slice(0, 2)).toEqual(['pending', 'running']);
    expect(states.slice(-3)).toEqual(['stopped', 'pending', 'running']);
    const stopped = sub.changes.find((c) => c.instanceId === id && c.state === 'stopped')!;
    expect(stopped.previousState).toBe(states[states.indexOf('stopped') - 1]);
    expect(sub.statuses).toEqual(['degraded', 'recovered']);
    sub.close();
  });

  it('reads DescribeInstances at rest only at the reconcile interval (≤ 12 an hour)', async () => {
    const s = await pushStack();
    const sub = subscribe(s);
    await sub.open;
    const before = s.emulator!.control.requests.count({ action: 'DescribeInstances' });
    for (let minute = 0; minute < 60; minute++) {
      await s.clock!.advance(60_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const reads = s.emulator!.control.requests.count({ action: 'DescribeInstances' }) - before;
    expect(reads).toBeGreaterThanOrEqual(10);
    expect(reads).toBeLessThanOrEqual(12);
    sub.close();
  });
});
