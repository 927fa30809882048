import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import type { WaiterEvent } from '@aws-trpc/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type VirtualScheduler, virtualScheduler } from '../src/time/scheduler';
import { runWaiter } from '../src/waiters/run-waiter';

let emu: Emulator;
let ec2: EC2Client;
let scheduler: VirtualScheduler;

beforeEach(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
  });
  scheduler = virtualScheduler(emu.clock);
});

afterEach(async () => {
  ec2.destroy();
  await emu.close();
});

describe('runWaiter called directly', () => {
  it('reports aborted when its signal aborts, and leaves no timer behind', async () => {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0453ec754f44f9a4a',
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
      }),
    );
    const id = out.Instances![0]!.InstanceId!;
    await scheduler.advance(6_000);
    const abort = new AbortController();
    const events: WaiterEvent[] = [];
    for await (const e of runWaiter({
      service: 'ec2',
      waiter: 'InstanceStopped',
      input: { InstanceIds: [id] },
      client: ec2 as never,
      scheduler,
      signal: abort.signal,
    })) {
      events.push(e);
      if (e.type === 'progress') abort.abort();
    }
    expect(events.map((e) => (e.type === 'result' ? e.outcome : e.type))).toEqual(['progress', 'aborted']);
    expect(scheduler.pending).toBe(0);
  });
});
