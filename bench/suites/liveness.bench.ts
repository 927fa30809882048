/**
 * Liveness (issue 13): how long after an instance changes state a subscriber hears it, on a real
 * clock, through the real client. Three ways a change reaches the gateway, each measured in this run:
 * - through the gateway: from the caller's answer to the subscriber (write-through);
 * - made straight at the emulator with the push source on (EventBridge → SQS);
 * - made straight at the emulator with polling alone (the default intervals).
 * The transition's time is the emulator's own (exact; an EventBridge event carries whole seconds).
 * And at rest with the push source, DescribeInstances per hour (a virtual hour).
 *
 * Run alone: `tsx bench/suites/liveness.bench.ts [--smoke]`.
 */
import { StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { InstanceStateEvent } from '@aws-trpc/client';
import { type Stack, startStack } from '@aws-trpc/testkit';
import { type Figure, figure, type GoalResult, runWhenMain } from '../src/figure';
import { summarize } from '../src/stats';

const suite = 'liveness';
const transitionMs = 300;
const imageId = 'ami-0453ec754f44f9a4a';

interface Delivery {
  at: number;
  source: string;
}

/** The stack's transitions (exact times) and what its subscriber heard, keyed `<id> <state> <nth>`. */
function observe(stack: Stack) {
  const transitions = new Map<string, number>();
  const deliveries = new Map<string, Delivery>();
  const count = new Map<string, number>();
  const key = (id: string, state: string, map: Map<string, unknown>) => {
    let n = 0;
    while (map.has(`${id} ${state} ${n}`)) n++;
    return `${id} ${state} ${n}`;
  };
  const stop = stack.emulator!.control.events.onStateEntered((e) =>
    transitions.set(key(e.instanceId, e.state, transitions), e.time),
  );
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const waits: { id: string; state: string; n: number; resolve: () => void }[] = [];
  const sub = stack.client.ec2.onInstanceStateChange.subscribe(
    {},
    {
      onData(data: unknown) {
        const event = ((data as { data?: InstanceStateEvent }).data ?? data) as InstanceStateEvent;
        if (event.type === 'snapshot') opened();
        if (event.type !== 'change') return;
        const k = key(event.instanceId, event.state, deliveries);
        deliveries.set(k, { at: Date.now(), source: event.source });
        count.set(
          `${event.instanceId} ${event.state}`,
          (count.get(`${event.instanceId} ${event.state}`) ?? 0) + 1,
        );
        for (const w of [...waits]) {
          if ((count.get(`${w.id} ${w.state}`) ?? 0) > w.n) {
            waits.splice(waits.indexOf(w), 1);
            w.resolve();
          }
        }
      },
    },
  );
  return {
    open,
    transitions,
    deliveries,
    /** Resolves once the subscriber has heard `id` enter `state` for the (n+1)-th time. */
    heard(id: string, state: string, n = 0): Promise<void> {
      if ((count.get(`${id} ${state}`) ?? 0) > n) return Promise.resolve();
      return new Promise((resolve) => waits.push({ id, state, n, resolve }));
    },
    close() {
      stop();
      sub.unsubscribe();
    },
  };
}

/** Delivery minus transition time, for every transition the subscriber heard. */
function lags(o: ReturnType<typeof observe>): number[] {
  const out: number[] = [];
  for (const [k, at] of o.transitions) {
    const d = o.deliveries.get(k);
    if (d) out.push(d.at - at);
  }
  return out;
}

/** Launched through the gateway, so the source follows them from their first state (write-through). */
async function launch(stack: Stack, n: number): Promise<string[]> {
  const out = await stack.client.ec2.runInstances.mutate({
    ImageId: imageId,
    MinCount: n,
    MaxCount: n,
    InstanceType: 't3.micro',
  });
  return out.Instances!.map((i) => i.InstanceId!);
}

/** Stop then start every instance `cycles` times with `act`, waiting each time for the subscriber. */
async function cycle(
  o: ReturnType<typeof observe>,
  ids: string[],
  cycles: number,
  act: (verb: 'stop' | 'start', ids: string[]) => Promise<unknown>,
): Promise<void> {
  for (let c = 0; c < cycles; c++) {
    await act('stop', ids);
    await Promise.all(ids.map((id) => o.heard(id, 'stopped', c)));
    await act('start', ids);
    await Promise.all(ids.map((id) => o.heard(id, 'running', c + 1)));
  }
}

/** Through the gateway: from each answer to the subscriber's hearing of the state it carried. */
async function throughGateway(smoke: boolean): Promise<number[]> {
  const stack = await startStack({ clock: 'real', delays: stateDelays });
  try {
    const o = observe(stack);
    await o.open;
    const ids = await launch(stack, smoke ? 2 : 5);
    await Promise.all(ids.map((id) => o.heard(id, 'running')));
    const samples: number[] = [];
    /** One instance per call, so each answer's time pairs with one delivery. */
    const timed = async (id: string, call: () => Promise<unknown>, state: string, n: number) => {
      await call();
      const answered = Date.now();
      await o.heard(id, state, n);
      samples.push(o.deliveries.get(`${id} ${state} ${n}`)!.at - answered);
    };
    for (let c = 0; c < (smoke ? 1 : 10); c++) {
      await Promise.all(
        ids.map(async (id) => {
          await timed(id, () => stack.client.ec2.stopInstances.mutate({ InstanceIds: [id] }), 'stopping', c);
          await o.heard(id, 'stopped', c);
          // pending #0 was the launch.
          await timed(
            id,
            () => stack.client.ec2.startInstances.mutate({ InstanceIds: [id] }),
            'pending',
            c + 1,
          );
          await o.heard(id, 'running', c + 1);
        }),
      );
    }
    o.close();
    return samples;
  } finally {
    await stack.close();
  }
}

const stateDelays = { pending: transitionMs, stopping: transitionMs, shuttingDown: transitionMs };

/** Changes made straight at the emulator (the SDK): what the gateway learns by push or by polling. */
async function external(smoke: boolean, push: boolean): Promise<number[]> {
  const stack = await startStack({
    clock: 'real',
    delays: stateDelays,
    events: push,
    ...(push || !smoke ? {} : { streams: { slowIntervalMs: 3_000 } }),
  });
  try {
    const o = observe(stack);
    await o.open;
    const ids = await launch(stack, smoke ? 2 : 5);
    await Promise.all(ids.map((id) => o.heard(id, 'running')));
    // Polling at rest waits up to its slow interval; one cycle of all instances at once shows it.
    await cycle(o, ids, push ? (smoke ? 1 : 10) : 1, (verb, group) =>
      stack.sdk.ec2.send(
        verb === 'stop'
          ? new StopInstancesCommand({ InstanceIds: group })
          : new StartInstancesCommand({ InstanceIds: group }),
      ),
    );
    o.close();
    // The launch is left out: its pending reached the gateway through the subscriber's first read.
    return lags(o).slice(ids.length * 2);
  } finally {
    await stack.close();
  }
}

/** DescribeInstances calls in one virtual hour at rest, with the push source on. */
async function restingReads(): Promise<number> {
  const stack = await startStack({ events: true });
  try {
    const o = observe(stack);
    await o.open;
    await launch(stack, 3);
    await stack.clock!.advance(60_000);
    const before = stack.emulator!.control.requests.count({ action: 'DescribeInstances' });
    for (let minute = 0; minute < 60; minute++) {
      await stack.clock!.advance(60_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    o.close();
    return stack.emulator!.control.requests.count({ action: 'DescribeInstances' }) - before;
  } finally {
    await stack.close();
  }
}

export async function runLivenessBench({ smoke }: { smoke: boolean }): Promise<{
  method: string;
  figures: Figure[];
  goals: GoalResult[];
}> {
  const gateway = summarize(await throughGateway(smoke));
  const push = summarize(await external(smoke, true));
  const polling = summarize(await external(smoke, false));
  const reads = await restingReads();
  const figures = [
    figure(suite, 'through the gateway, answer → subscriber p50', gateway.p50, 'ms'),
    figure(suite, 'through the gateway, answer → subscriber p99', gateway.p99, 'ms'),
    figure(suite, 'external, push: transition → subscriber p50', push.p50, 'ms'),
    figure(suite, 'external, push: transition → subscriber p99', push.p99, 'ms'),
    figure(suite, 'external, polling alone: transition → subscriber p50', polling.p50, 'ms'),
    figure(suite, 'external, polling alone: transition → subscriber p99', polling.p99, 'ms'),
    figure(suite, 'DescribeInstances per hour at rest, push', reads, 'count'),
    figure(suite, 'samples (gateway, push, polling)', gateway.n + push.n + polling.n, 'count'),
  ];
  const goals: GoalResult[] = [
    {
      goal: 'through-gateway p99 after the response',
      measured: gateway.p99,
      bound: '≤ 100',
      unit: 'ms',
      pass: gateway.p99 <= 100,
    },
    {
      goal: 'external with push p99 after the transition',
      measured: push.p99,
      bound: '≤ 1500',
      unit: 'ms',
      pass: push.p99 <= 1_500,
    },
    {
      goal: 'DescribeInstances an hour at rest, push',
      measured: reads,
      bound: '≤ 12',
      unit: 'count',
      pass: reads <= 12,
    },
  ];
  return {
    method:
      `real clock, emulator in process with ${transitionMs} ms transitions, subscriber through @aws-trpc/client; ` +
      `${smoke ? 'smoke: 2 instances, 1 cycle' : '5 instances × 10 stop/start cycles (push, gateway), 1 cycle polling'}; ` +
      'transition times from the emulator (exact), delivery when the client hands the event over; ' +
      `polling alone with the default intervals${smoke ? ' (smoke: 3 s at rest)' : ' (1 s while moving, 30 s at rest)'}; ` +
      'resting reads counted over one virtual hour.',
    figures,
    goals,
  };
}

runWhenMain('liveness.bench.ts', runLivenessBench);
