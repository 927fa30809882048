import {
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type Emulator, startEmulator } from '@aws-trpc/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorCredentials } from '../src/config';
import { createStreamRegistry, type StreamRegistry } from '../src/streams/registry';
import { type VirtualScheduler, virtualScheduler } from '../src/streams/scheduler';
import type { SourceEntry } from '../src/streams/stateSource';

const ami = 'ami-0453ec754f44f9a4a';

let emu: Emulator;
let ec2: EC2Client;
let scheduler: VirtualScheduler;
let registry: StreamRegistry;

const describes = () => emu.control.requests.count({ service: 'ec2', action: 'DescribeInstances' });

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
});
