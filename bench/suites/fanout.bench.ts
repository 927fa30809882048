import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { RunInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { AppRouter } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import { FetchEventSource, startStack } from '@aws-trpc/testkit';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';

/**
 * The fan-out benchmark (issue 4): N concurrent SSE subscribers of `ec2.onInstanceStateChange` on one
 * gateway, against the emulator. Not a test: the `pnpm bench` runner calls `runFanoutBench`; run it
 * alone with `tsx packages/api/bench/fanout.bench.ts [--smoke]`. The gateway and the emulator run in a
 * child process (this file with `--fanout-server [--sse=trpc]`), so the clients' work is not charged to
 * the gateway. Profile the gateway with FANOUT_CPU_PROF=dir, or see its heap with FANOUT_HEAP_SNAPSHOT=dir.
 */
export interface BenchResult {
  name: string;
  subscribers: number;
  value: number;
  unit: string;
  /** The goal from the issue, e.g. `≤ 100`. */
  goal?: string;
  pass?: boolean;
  method: string;
  machine: string;
}

const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, node ${process.version}`;

/**
 * Who subscribes. `sse`: N plain SSE connections (node:http, frames split and JSON-parsed, data
 * deserialized), the way N separate subscriber processes each receive an event; the goal's figure.
 * `trpc`: N tRPC `httpSubscriptionLink` clients all in the one bench process, whose own per-event work
 * (undici fetch streams and tRPC's web-stream SSE consumer, ×N on one event loop) is then in the latency.
 */
export type SubscriberKind = 'sse' | 'trpc';

const method =
  'Three passes in one run, each with a fresh child process running the gateway (real HTTP, SSE) and the ' +
  'emulator (virtual clock), and N subscribers in the parent over 127.0.0.1 on the same machine: (1) N ' +
  'plain SSE connections (node:http; frames split, JSON-parsed and deserialized), the gateway writing SSE ' +
  "itself (the default); (2) the same with GatewayOptions.sse = 'trpc' (tRPC's own SSE producer); (3) N " +
  "tRPC httpSubscriptionLink clients, all on the parent's one event loop, on the default writer. The goals " +
  'are read on pass 1. Latency: wall clock from the source appending a change (right after the ' +
  'DescribeInstances read that saw it) to its arrival at each subscriber, 20 changes. Upstream calls: ' +
  'DescribeInstances per slow interval at rest. Memory: the gateway process heap+external after GC with N ' +
  'subscribers minus before, divided by N.';

const wallNow = () => performance.timeOrigin + performance.now();

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

type Command = 'memory' | 'cpu' | 'describes' | 'stop' | 'start' | 'refresh' | 'advance';

/** Resolves when `inc()` has been called `n` times in total; bounded by a generous timeout. */
function counter() {
  let value = 0;
  let waiting: { n: number; resolve: () => void } | undefined;
  return {
    inc() {
      value++;
      if (waiting && value >= waiting.n) {
        waiting.resolve();
        waiting = undefined;
      }
    },
    reach(n: number, what: string): Promise<void> {
      if (value >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fan-out bench: timed out waiting for ${what}`)),
          120_000,
        );
        waiting = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
  };
}

/** The parent's handle on the gateway process: one request, one reply, in order. */
function serverHandle(child: ChildProcess) {
  let seq = 0;
  const pending = new Map<number, (value: number) => void>();
  child.on('message', (m: { id?: number; value?: number }) => {
    if (m.id !== undefined) pending.get(m.id)?.(m.value ?? Number.NaN);
    if (m.id !== undefined) pending.delete(m.id);
  });
  return (cmd: Command, arg?: number): Promise<number> =>
    new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      child.send({ id, cmd, arg });
    });
}

/** Who writes the gateway's SSE streams (GatewayOptions.sse): ours, or tRPC's producer for comparison. */
export type SseWriter = 'gateway' | 'trpc';

/**
 * Three passes in one run, each against a fresh gateway process: the goal's (plain SSE subscribers,
 * the gateway's SSE writer), the same subscribers on tRPC's SSE producer (the ratio shows what the
 * writer buys), and tRPC clients on the gateway's writer (what a consumer process adds).
 */
export async function runFanoutBench({ smoke }: { smoke: boolean }): Promise<BenchResult[]> {
  const ours = await runFanout('sse', 'gateway', { smoke });
  const theirs = await runFanout('sse', 'trpc', { smoke });
  const clients = await runFanout('trpc', 'gateway', { smoke });
  // Ratios of pass 2 to pass 1, measured minutes apart on the same machine: what the SSE writer buys.
  const ratio = (figure: string): BenchResult => {
    const a = ours.find((r) => r.name.startsWith(figure))!;
    const b = theirs.find((r) => r.name.startsWith(figure))!;
    return {
      name: `${figure}, tRPC's SSE producer / gateway's (n=${a.subscribers})`,
      subscribers: a.subscribers,
      value: b.value / a.value,
      unit: 'x',
      method,
      machine,
    };
  };
  const ratios = [
    'fanout delivery p99',
    'fanout gateway CPU per delivered event',
    'fanout gateway memory per subscriber',
  ].map(ratio);
  return [...ours, ...theirs, ...clients, ...ratios];
}

/** N subscribers of one kind on one gateway. */
export async function runFanout(
  kind: SubscriberKind,
  writer: SseWriter,
  { smoke }: { smoke: boolean },
): Promise<BenchResult[]> {
  const subscribers = smoke ? 10 : 1_000;
  const rounds = smoke ? 2 : 5;
  const child = fork(fileURLToPath(import.meta.url), ['--fanout-server', `--sse=${writer}`], {
    // FANOUT_CPU_PROF=<dir>: profile the gateway process (node --cpu-prof), to see what fan-out costs.
    execArgv: [
      '--import',
      import.meta.resolve('tsx'),
      '--no-warnings',
      ...(process.env.FANOUT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const subs: { unsubscribe(): void }[] = [];
  try {
    const { url, instanceId } = await new Promise<{ url: string; instanceId: string }>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`fan-out bench server exited with ${code}`)));
    });
    const ask = serverHandle(child);
    const subscribe = (onData: (data: { type: string }, at: number) => void) =>
      subs.push(
        kind === 'sse' ? sseSubscriber(url, instanceId, onData) : trpcSubscriber(url, instanceId, onData),
      );

    // One subscriber first, so lazy modules, sockets and the JIT are not charged to the measured ones.
    const warm = counter();
    subscribe(() => warm.inc());
    await warm.reach(1, 'the warm-up snapshot');
    const before = await ask('memory');
    const snapshots = counter();
    const deliveries = counter();
    let arrivals: number[] = [];
    for (let i = 0; i < subscribers; i++) {
      subscribe((data, at) => {
        if (data.type === 'snapshot') snapshots.inc();
        else if (data.type === 'change') {
          arrivals.push(at);
          deliveries.inc();
        }
      });
    }
    await snapshots.reach(subscribers, 'snapshots');
    const perSubscriberKb = ((await ask('memory')) - before) / subscribers / 1024;

    const calls0 = await ask('describes');
    const intervals = 5;
    await ask('advance', intervals * 10_000);
    const callsPerInterval = ((await ask('describes')) - calls0) / intervals;

    // Each round: stop (running → stopping → stopped), then start (stopped → pending → running).
    const samples: number[] = [];
    let expected = 0;
    const cpu0 = await ask('cpu');
    for (let r = 0; r < rounds; r++) {
      for (const act of ['stop', 'start'] as const) {
        await ask(act);
        for (const step of [() => ask('refresh'), () => ask('advance', 6_000)]) {
          arrivals = [];
          const appendedAt = await step();
          expected += subscribers;
          await deliveries.reach(expected, `round ${r} deliveries`);
          for (const at of arrivals) samples.push(at - appendedAt);
        }
      }
    }
    // Less noisy than latency on a shared machine: the gateway's CPU time per delivered event.
    const cpuPerDeliveryUs = ((await ask('cpu')) - cpu0) / expected;
    const sorted = samples.sort((a, b) => a - b);
    const p99 = quantile(sorted, 0.99);
    const base = { subscribers, method, machine };
    // The goals are read on pass 1: the gateway's delivery to N subscribers, not N tRPC clients' own work.
    const goal = (text: string, pass: boolean) =>
      kind === 'sse' && writer === 'gateway' ? { goal: text, pass } : {};
    const who = kind === 'sse' ? 'SSE subscribers' : 'tRPC clients in one process';
    const n = `n=${subscribers}, ${who}${writer === 'trpc' ? ", tRPC's SSE producer" : ''}`;
    return [
      { name: `fanout delivery p50 (${n})`, value: quantile(sorted, 0.5), unit: 'ms', ...base },
      {
        name: `fanout delivery p99 (${n})`,
        value: p99,
        unit: 'ms',
        ...goal('≤ 100', p99 <= 100),
        ...base,
      },
      {
        name: `fanout gateway CPU per delivered event (${n})`,
        value: cpuPerDeliveryUs,
        unit: 'µs',
        ...base,
      },
      {
        name: `fanout upstream DescribeInstances per poll interval (${n})`,
        value: callsPerInterval,
        unit: 'calls',
        ...goal('= 1', callsPerInterval === 1),
        ...base,
      },
      {
        name: `fanout gateway memory per subscriber (${n})`,
        value: perSubscriberKb,
        unit: 'KB',
        ...goal('≤ 30', perSubscriberKb <= 30),
        ...base,
      },
    ];
  } finally {
    for (const s of subs) s.unsubscribe();
    child.disconnect?.();
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

type OnData = (data: { type: string }, at: number) => void;

/** A tRPC client subscription, as a service would hold one. */
function trpcSubscriber(url: string, instanceId: string, onData: OnData): { unsubscribe(): void } {
  const client = createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url,
        transformer,
        EventSource: FetchEventSource as unknown as typeof EventSource,
      }),
    ],
  });
  return client.ec2.onInstanceStateChange.subscribe(
    { instanceIds: [instanceId] },
    { onData: (value) => onData('data' in value ? value.data : value, wallNow()) },
  );
}

/** A plain SSE subscriber: one GET, frames split on the blank line, `data:` parsed and deserialized. */
function sseSubscriber(url: string, instanceId: string, onData: OnData): { unsubscribe(): void } {
  const input = encodeURIComponent(JSON.stringify(transformer.serialize({ instanceIds: [instanceId] })));
  const req = http.get(`${url}/ec2.onInstanceStateChange?input=${input}`, {
    agent: false,
    headers: { accept: 'text/event-stream' },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    let buffered = '';
    res.on('data', (chunk: string) => {
      const at = wallNow();
      buffered += chunk;
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\n\n');
        const lines = frame.split('\n');
        if (lines.some((l) => l.startsWith('event:'))) continue; // connected, ping, restore-id
        const data = lines.find((l) => l.startsWith('data: '));
        if (data) onData(transformer.deserialize(JSON.parse(data.slice(6))) as { type: string }, at);
      }
    });
  });
  req.on('error', () => {});
  return { unsubscribe: () => req.destroy() };
}

/** The child: emulator + gateway, driven over IPC; exits when the parent disconnects. */
async function serve(): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // Room for far more subscribers than the default 20 per token; the limiter is not what is measured.
  const h = await startStack({
    gateway: { maxAttempts: 1, sse: process.argv.includes('--sse=trpc') ? 'trpc' : 'gateway' },
    security: { maxSubscriptions: 100_000, rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 } },
    streams: { fastIntervalMs: 1_000, slowIntervalMs: 10_000 },
  });
  const emu = h.emulator!;
  const scheduler = h.clock!;
  const { url } = h;
  const ec2 = h.sdk.ec2;
  const streams = h.gateway.deps.streams!;
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0453ec754f44f9a4a',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
    }),
  );
  const instanceId = launched.Instances![0]!.InstanceId!;
  emu.clock.advance(10_000);
  const source = await streams.instanceStates('us-east-1', h.gateway.deps.aws.ec2('us-east-1'));
  let appendedAt: number | undefined;
  const unlisten = source.listen({
    onEntry: () => {
      appendedAt ??= wallNow();
    },
  });
  await source.refresh();

  const handlers: Record<Command, (arg?: number) => Promise<number>> = {
    async memory() {
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        gc();
        const m = process.memoryUsage();
        min = Math.min(min, m.heapUsed + m.external);
      }
      // FANOUT_HEAP_SNAPSHOT=<dir>: a heap snapshot at each measurement, to see what a subscriber holds.
      if (process.env.FANOUT_HEAP_SNAPSHOT)
        v8.writeHeapSnapshot(`${process.env.FANOUT_HEAP_SNAPSHOT}/fanout-${Date.now()}.heapsnapshot`);
      return min;
    },
    async cpu() {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    describes: async () => emu.control.requests.count({ action: 'DescribeInstances' }),
    async stop() {
      await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
      return 0;
    },
    async start() {
      await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
      return 0;
    },
    async refresh() {
      appendedAt = undefined;
      await source.refresh();
      return appendedAt ?? Number.NaN;
    },
    async advance(ms = 0) {
      appendedAt = undefined;
      await scheduler.advance(ms);
      return appendedAt ?? Number.NaN;
    },
  };
  process.on('message', async (m: { id: number; cmd: Command; arg?: number }) => {
    process.send?.({ id: m.id, value: await handlers[m.cmd](m.arg) });
  });
  process.once('disconnect', async () => {
    unlisten();
    await h.close();
    process.exit(0);
  });
  process.send?.({ url, instanceId });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--fanout-server')) {
    void serve();
  } else {
    runFanoutBench({ smoke: process.argv.includes('--smoke') }).then(
      (results) => console.log(JSON.stringify(results, null, 2)),
      (error) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  }
}
