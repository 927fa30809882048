import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, InstanceStateEvent } from '@aws-trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, type StackOptions, startStack } from '../../src/index';

/**
 * Real time, as a user with a dashboard open meets it: the emulator's transitions take 1 s, a
 * subscriber stays open through the real client, and the boto3 pattern runs through resources beside
 * it. Every wait must end within its transition plus 1.5 s, and the subscriber must hear every state
 * of the instance once, in order.
 */

const transitionMs = 1_000;
const delays = { pending: transitionMs, stopping: transitionMs, shuttingDown: transitionMs };
const imageId = 'ami-0453ec754f44f9a4a';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Heard {
  event: InstanceChangeEvent;
  at: number;
}

/** A subscriber of every instance's changes, through the client; resolves `until` on arrival (no sleep). */
function subscriber(s: Stack) {
  const heard: Heard[] = [];
  const waits: { match: (h: Heard) => boolean; resolve: (h: Heard) => void }[] = [];
  let opened: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const sub = s.client.ec2.onInstanceStateChange.subscribe(
    {},
    {
      onData(data: unknown) {
        const event = ((data as { data?: InstanceStateEvent }).data ?? data) as InstanceStateEvent;
        if (event.type === 'snapshot') opened();
        if (event.type !== 'change') return;
        const h = { event, at: Date.now() };
        heard.push(h);
        for (const w of [...waits]) {
          if (!w.match(h)) continue;
          waits.splice(waits.indexOf(w), 1);
          w.resolve(h);
        }
      },
    },
  );
  return {
    heard,
    open,
    /** The first change (already heard or still to come) of `id` into `state`. */
    until(id: string, state: string): Promise<Heard> {
      const match = (h: Heard) => h.event.instanceId === id && h.event.state === state;
      const seen = heard.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waits.push({ match, resolve }));
    },
    states: (id: string) => heard.filter((h) => h.event.instanceId === id).map((h) => h.event.state),
    close: () => sub.unsubscribe(),
  };
}

/** Runs `step` and returns how long it took (ms, real time). */
async function timed(step: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await step();
  return Date.now() - started;
}

async function lifecycleThroughResources(options: StackOptions) {
  stack = await startStack({ clock: 'real', delays, ...options });
  const s = stack;
  const sub = subscriber(s);
  await sub.open;
  const [instance] = await s.ec2.createInstances({
    ImageId: imageId,
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
  });
  const launched = Date.now();
  const id = instance!.id;
  // A change made through the gateway reaches the subscriber within 1 s of the call returning.
  expect((await sub.until(id, 'pending')).at - launched).toBeLessThan(1_000);

  const waits: Record<string, number> = {};
  waits.launch = await timed(() => instance!.waitUntilRunning());
  waits.stop = await timed(async () => {
    await instance!.stop();
    await instance!.waitUntilStopped();
  });
  // start() then waitUntilRunning() at once: the stopped seen before the start must not fail it.
  waits.start = await timed(async () => {
    await instance!.start();
    await instance!.waitUntilRunning();
  });
  waits.terminate = await timed(async () => {
    await instance!.terminate();
    await instance!.waitUntilTerminated();
  });
  for (const [step, ms] of Object.entries(waits)) expect(ms, step).toBeLessThan(transitionMs + 1_500);

  await sub.until(id, 'terminated');
  expect(sub.states(id)).toEqual([
    'pending',
    'running',
    'stopping',
    'stopped',
    'pending',
    'running',
    'shutting-down',
    'terminated',
  ]);
  sub.close();
  return { s, sub, id };
}

describe('live instance state on a real clock, a subscriber and a waiter open at once', () => {
  it('polling with write-through: every wait ends within transition + 1.5 s, every state heard once, in order', async () => {
    const { sub, id } = await lifecycleThroughResources({});
    const sources = sub.heard.filter((h) => h.event.instanceId === id).map((h) => h.event.source);
    // The gateway's own calls are told from AWS's answers; the rest from its reads.
    expect(sources).toEqual([
      'write-through',
      'poll',
      'write-through',
      'poll',
      'write-through',
      'poll',
      'write-through',
      'poll',
    ]);
  }, 30_000);

  it('with the push source: the same, and a change made straight at AWS reaches the subscriber within 3 s', async () => {
    const { s } = await lifecycleThroughResources({ events: true });
    const sub = subscriber(s);
    await sub.open;
    const [other] = await s.ec2.createInstances({
      ImageId: imageId,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
    });
    await sub.until(other!.id, 'running');
    // Stopped with the SDK straight at the emulator: the gateway hears it only through EventBridge → SQS.
    const stoppedAt = Date.now();
    await s.sdk.ec2.send(new StopInstancesCommand({ InstanceIds: [other!.id] }));
    const stopping = await sub.until(other!.id, 'stopping');
    const stopped = await sub.until(other!.id, 'stopped');
    expect(stopping.event.source).toBe('push');
    expect(stopping.at - stoppedAt).toBeLessThan(3_000);
    expect(stopped.at - stoppedAt).toBeLessThan(transitionMs + 3_000);
    sub.close();
  }, 30_000);
});
