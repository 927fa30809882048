import {
  CreateTagsCommand,
  DescribeInstanceStatusCommand,
  type DescribeInstanceStatusCommandInput,
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStreamRegistry, type StreamRegistry } from '../src/source/registry';
import type { SourceEntry, SourceView } from '../src/source/state-source';
import { type VirtualScheduler, virtualScheduler } from '../src/time/scheduler';
import { sourceReader } from '../src/waiters/source-reader';

const ami = 'ami-0453ec754f44f9a4a';

let emu: Emulator;
let ec2: EC2Client;
let scheduler: VirtualScheduler;
let registry: StreamRegistry;

const describes = () => emu.control.requests.count({ service: 'ec2', action: 'DescribeInstances' });
const statusReads = () => emu.control.requests.count({ service: 'ec2', action: 'DescribeInstanceStatus' });

beforeEach(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
  });
  scheduler = virtualScheduler(emu.clock);
  registry = createStreamRegistry({ scheduler, fastIntervalMs: 1_000, slowIntervalMs: 10_000, lingerMs: 0 });
});

afterEach(async () => {
  registry.close();
  ec2.destroy();
  await emu.close();
});

async function run(): Promise<string> {
  const out = await ec2.send(
    new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }),
  );
  return out.Instances![0]!.InstanceId!;
}

describe('the polling state source', () => {
  it('does not poll while nobody listens', async () => {
    await run();
    await registry.instanceStates('us-east-1', ec2);
    await scheduler.advance(5 * 60_000);
    expect(describes()).toBe(0);
  });

  it('diffs reads into ordered change events with increasing ids, and stops when the last listener leaves', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const entries: SourceEntry[] = [];
    const unlisten = source.listen({ onEntry: (e) => entries.push(e) });
    await source.refresh();
    expect(source.current()?.instances.size).toBe(0);

    // Each action is read at once (refresh), then fast polls follow the transition (5 s in the emulator).
    const id = await run();
    await source.refresh();
    await scheduler.advance(6_000);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await source.refresh();
    await scheduler.advance(6_000);
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await source.refresh();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await source.refresh();
    await scheduler.advance(6_000);

    const transitions = entries.map((e) =>
      e.event.type === 'change' ? `${e.event.previousState}>${e.event.state}` : e.event.type,
    );
    expect(transitions).toEqual([
      'null>pending',
      'pending>running',
      'running>stopping',
      'stopping>stopped',
      'stopped>pending',
      'pending>shutting-down',
      'shutting-down>terminated',
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(7);

    unlisten();
    const before = describes();
    await scheduler.advance(10 * 60_000);
    expect(describes()).toBe(before);
    expect(scheduler.pending).toBe(0);
    expect(registry.stats()).toMatchObject({ sources: 0, listeners: 0 });
  });

  it('polls fast while an instance is in transition and slowly at rest', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlisten = source.listen({});
    await source.refresh();
    const atRest = describes();
    await scheduler.advance(30_000);
    expect(describes() - atRest).toBe(3); // 10 s interval

    await run();
    await source.refresh(); // sees pending
    const busy = describes();
    await scheduler.advance(3_000);
    expect(describes() - busy).toBe(3); // 1 s interval while pending
    unlisten();
  });

  it('polls fast only while an instance its listeners follow is in transition', async () => {
    const [a, b] = [await run(), await run()];
    await scheduler.advance(6_000); // both running
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlistenA = source.listen({ watches: new Set([a]) });
    await source.refresh();

    await ec2.send(new StopInstancesCommand({ InstanceIds: [b] }));
    await source.refresh(); // sees b stopping: nobody follows b, so the next read is a slow one
    let from = describes();
    await scheduler.advance(5_000);
    expect(describes() - from).toBe(0);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [a] }));
    await source.refresh(); // a stopping: fast
    from = describes();
    await scheduler.advance(3_000);
    expect(describes() - from).toBe(3);
    await scheduler.advance(10_000); // both stopped: slow again

    // A listener that follows every instance (a filter) makes b's transitions count too.
    const unlistenAll = source.listen({});
    await ec2.send(new StartInstancesCommand({ InstanceIds: [b] }));
    await source.refresh();
    from = describes();
    await scheduler.advance(3_000);
    expect(describes() - from).toBe(3);
    unlistenAll();
    unlistenA();
  });

  it('backs off on upstream errors with one degraded event, then recovers by itself', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const entries: SourceEntry[] = [];
    const unlisten = source.listen({ onEntry: (e) => entries.push(e) });
    await source.refresh();
    emu.control.faults.throttle(3, { service: 'ec2', action: 'DescribeInstances' });
    await scheduler.advance(10_000); // fails, backoff 1 s
    await scheduler.advance(1_000); // fails, backoff 2 s
    await scheduler.advance(2_000); // fails, backoff 4 s
    const failed = describes();
    await scheduler.advance(3_999);
    expect(describes()).toBe(failed); // still backing off
    await scheduler.advance(1);
    const statuses = entries.map((e) => (e.event.type === 'status' ? e.event.status : e.event.type));
    expect(statuses).toEqual(['degraded', 'recovered']);
    const degraded = entries[0]!.event;
    expect(degraded.type === 'status' && degraded.error?.code).toBe('RequestLimitExceeded');
    unlisten();
  });

  it('reads every page: 1,001 instances take two calls of each describe per read', async () => {
    await ec2.send(
      new RunInstancesCommand({ ImageId: ami, MinCount: 1_001, MaxCount: 1_001, InstanceType: 't3.micro' }),
    );
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlisten = source.listen({ needs: 'status' });
    await source.refresh();
    const view = source.current()!;
    expect(view.instances.size).toBe(1_001);
    expect(view.statuses?.size).toBe(1_001);
    expect([describes(), statusReads()]).toEqual([2, 2]);
    unlisten();
  });

  it('keeps one source per region and credential identity', async () => {
    const other = new EC2Client({
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' },
    });
    const a = await registry.instanceStates('us-east-1', ec2);
    const b = await registry.instanceStates('us-east-1', ec2);
    const c = await registry.instanceStates('us-east-1', other);
    const d = await registry.instanceStates('eu-west-1', ec2);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
    other.destroy();
  });

  it('reads the status checks once per read for all status listeners, only while one listens, fast while initializing', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlistenPlain = source.listen({});
    await source.refresh();
    await scheduler.advance(30_000);
    expect(statusReads()).toBe(0);
    expect(source.current()?.statuses).toBeUndefined();

    const id = await run();
    // The first status listener gets a read at once rather than after the slow interval.
    const views: SourceView[] = [];
    let firstView: () => void = () => {};
    const firstRead = new Promise<void>((resolve) => {
      firstView = resolve;
    });
    const unlistenFirst = source.listen({
      needs: 'status',
      onRead: (v) => {
        views.push(v);
        firstView();
      },
    });
    const unlistenSecond = source.listen({ needs: 'status' });
    await firstRead;
    expect(statusReads()).toBe(1);
    expect(views[0]!.statuses?.get(id)).toMatchObject({ InstanceState: { Name: 'pending' } });

    // 5 s pending then 5 s initializing: fast (1 s) reads throughout, one status call each.
    const [d0, s0] = [describes(), statusReads()];
    await scheduler.advance(10_000);
    expect([describes() - d0, statusReads() - s0]).toEqual([10, 10]);
    expect(source.current()?.statuses?.get(id)).toMatchObject({ InstanceStatus: { Status: 'ok' } });
    const [d1, s1] = [describes(), statusReads()];
    await scheduler.advance(10_000);
    expect([describes() - d1, statusReads() - s1]).toEqual([1, 1]); // at rest: slow again

    unlistenFirst();
    unlistenSecond();
    unlistenPlain();
  });

  it('stops reading statuses when the last status listener leaves', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlistenPlain = source.listen({});
    const unlistenStatus = source.listen({ needs: 'status' });
    await source.refresh();
    expect(source.current()?.statuses).toBeDefined();
    unlistenStatus();
    expect(source.current()?.statuses).toBeUndefined();
    const [d0, s0] = [describes(), statusReads()];
    await scheduler.advance(30_000);
    expect(describes() - d0).toBe(3);
    expect(statusReads()).toBe(s0);
    unlistenPlain();
  });

  it('answers DescribeInstanceStatus from its status read exactly as AWS does, and goes upstream when it cannot', async () => {
    const [a, b] = [await run(), await run()];
    await scheduler.advance(6_000);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [b] }));
    await scheduler.advance(6_000); // a: running, checks ok; b: stopped
    const c = await run();
    await scheduler.advance(6_000); // c: running, checks initializing
    const d = await run(); // d: pending
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlisten = source.listen({ needs: 'status' });
    await source.refresh();
    const reader = sourceReader(source, ec2);
    const zone = source.current()!.instances.get(a)!.record.availabilityZone!;

    const cached: DescribeInstanceStatusCommandInput[] = [
      { InstanceIds: [a, b, c, d] },
      { InstanceIds: [d, b, a], IncludeAllInstances: true },
      {},
      { IncludeAllInstances: true },
      {
        IncludeAllInstances: true,
        Filters: [{ Name: 'instance-state-name', Values: ['stopped', 'pending'] }],
      },
      { IncludeAllInstances: true, Filters: [{ Name: 'instance-status.status', Values: ['ok'] }] },
      { Filters: [{ Name: 'system-status.status', Values: ['initializing'] }] },
      { Filters: [{ Name: 'instance-state-name', Values: ['run*'] }] },
      {
        IncludeAllInstances: true,
        Filters: [
          { Name: 'availability-zone', Values: [zone] },
          { Name: 'instance-status.status', Values: ['not-applicable'] },
        ],
      },
    ];
    for (const input of cached) {
      const before = statusReads();
      const { $metadata: _, ...fromSource } = await reader.send(new DescribeInstanceStatusCommand(input));
      expect(statusReads()).toBe(before);
      const { $metadata: __, ...fromAws } = await ec2.send(new DescribeInstanceStatusCommand(input));
      expect(fromSource, JSON.stringify(input)).toEqual(fromAws);
    }
    expect(reader.cacheHits).toBe(cached.length);

    const upstream: DescribeInstanceStatusCommandInput[] = [
      { Filters: [{ Name: 'event.code', Values: ['system-reboot'] }] },
      { MaxResults: 5 },
    ];
    for (const input of upstream) {
      const before = statusReads();
      await reader.send(new DescribeInstanceStatusCommand(input));
      expect(statusReads(), JSON.stringify(input)).toBe(before + 1);
    }
    await expect(
      reader.send(new DescribeInstanceStatusCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    ).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    expect(reader.cacheHits).toBe(cached.length);
    unlisten();
  });

  it('hands the shared status read error to the status readers, without degrading the stream', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const entries: SourceEntry[] = [];
    const unlisten = source.listen({ needs: 'status', onEntry: (e) => entries.push(e) });
    emu.control.faults.fail(1, {
      service: 'ec2',
      action: 'DescribeInstanceStatus',
      code: 'UnauthorizedOperation',
      status: 403,
      message: 'You are not authorized to perform this operation.',
    });
    await source.refresh();
    const reader = sourceReader(source, ec2);
    await expect(reader.send(new DescribeInstanceStatusCommand({}))).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
    });
    expect(entries).toEqual([]);
    await scheduler.advance(10_000); // the next read succeeds
    await expect(reader.send(new DescribeInstanceStatusCommand({}))).resolves.toMatchObject({
      InstanceStatuses: [],
    });
    unlisten();
  });
});

describe('write-through: the calls made through the gateway feed the source', () => {
  /** Sends a command at the emulator and feeds its answer to the source, as the gateway's resolver does. */
  async function through<O>(operation: string, command: { input: unknown }): Promise<O> {
    const output = (await ec2.send(command as never)) as O;
    await registry.writeThrough('us-east-1', ec2, { operation, input: command.input, output });
    return output;
  }
  const transitions = (entries: SourceEntry[]) =>
    entries.map((e) =>
      e.event.type === 'change'
        ? `${e.event.previousState}>${e.event.state} (${e.event.source})`
        : e.event.type,
    );

  it('logs every state the answers carry at once, once each, in order, with no duplicate from the next reads', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const entries: SourceEntry[] = [];
    const unlisten = source.listen({ onEntry: (e) => entries.push(e) });
    await source.refresh();
    const reads = describes();

    const launched = await through<{ Instances: { InstanceId: string }[] }>(
      'RunInstances',
      new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }),
    );
    const id = launched.Instances[0]!.InstanceId;
    // Logged from the answer itself: no read was needed, and the change carries the instance's details.
    expect(describes()).toBe(reads);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.event).toMatchObject({
      type: 'change',
      instanceId: id,
      state: 'pending',
      instanceType: 't3.micro',
    });

    await scheduler.advance(6_000); // reads see pending (no event), then running
    await through('StopInstances', new StopInstancesCommand({ InstanceIds: [id] }));
    await scheduler.advance(6_000);
    await through('StartInstances', new StartInstancesCommand({ InstanceIds: [id] }));
    await scheduler.advance(6_000);
    await through('TerminateInstances', new TerminateInstancesCommand({ InstanceIds: [id] }));
    await scheduler.advance(6_000);
    expect(transitions(entries)).toEqual([
      'null>pending (write-through)',
      'pending>running (poll)',
      'running>stopping (write-through)',
      'stopping>stopped (poll)',
      'stopped>pending (write-through)',
      'pending>running (poll)',
      'running>shutting-down (write-through)',
      'shutting-down>terminated (poll)',
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    unlisten();
  });

  it('never lets a read that started before a call move the instance back', async () => {
    const id = await run();
    await scheduler.advance(6_000);
    const source = await registry.instanceStates('us-east-1', ec2);
    const entries: SourceEntry[] = [];
    const unlisten = source.listen({ onEntry: (e) => entries.push(e) });
    await source.refresh();
    // A read starts while the instance runs and is held at the emulator while the stop goes through.
    emu.control.faults.latency(200, { action: 'DescribeInstances' });
    const before = describes();
    const slowRead = source.refresh();
    await vi.waitUntil(() => describes() > before); // the read has reached the emulator
    emu.control.faults.clear();
    await through('StopInstances', new StopInstancesCommand({ InstanceIds: [id] }));
    await slowRead;
    expect(transitions(entries)).toEqual(['running>stopping (write-through)']);
    expect(source.current()?.instances.get(id)?.record.state).toBe('stopping');
    unlisten();
  });

  it('follows the instances it changed at the fast interval until they rest, even when no listener names them', async () => {
    const [watched, other] = [await run(), await run()];
    await scheduler.advance(6_000);
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlisten = source.listen({ watches: new Set([watched]) });
    await source.refresh();
    const atRest = describes();
    await scheduler.advance(10_000);
    expect(describes() - atRest).toBe(1); // the slow interval: nothing it follows moves

    await through('StopInstances', new StopInstancesCommand({ InstanceIds: [other] }));
    const stopping = describes();
    await scheduler.advance(3_000);
    expect(describes() - stopping).toBe(3); // 1 s interval: the gateway moved it
    await scheduler.advance(5_000); // stopped now
    const rested = describes();
    await scheduler.advance(9_000);
    expect(describes() - rested).toBe(1); // slow again
    unlisten();
  });

  it('updates tags at once, so filters select the instance by its new tags', async () => {
    const id = await run();
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlisten = source.listen({});
    await source.refresh();
    await through(
      'CreateTags',
      new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'role', Value: 'web' }] }),
    );
    expect(source.current()?.instances.get(id)?.record.tags).toEqual({ role: 'web' });
    unlisten();
  });

  it('answers a waiter only from a read that started after it asked (readSince)', async () => {
    const source = await registry.instanceStates('us-east-1', ec2);
    const unlisten = source.listen({});
    await source.refresh();
    const before = describes();
    await source.readSince(scheduler.now() - 1); // the view is fresh enough: no read
    expect(describes()).toBe(before);
    await scheduler.advance(1);
    const asked = scheduler.now();
    await Promise.all([source.readSince(asked), source.readSince(asked), source.readSince(asked)]);
    expect(describes()).toBe(before + 1); // one read for all three
    expect(source.current()!.readAt).toBeGreaterThanOrEqual(asked);
    unlisten();
  });
});
