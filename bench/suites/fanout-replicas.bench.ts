/**
 * Fan-out across replicas (issue 14): three `aws-trpc serve` processes sharing one redis-server, in
 * front of one emulator, with N plain SSE subscribers on each (3,000 in the full run) following one
 * instance. The instance is stopped and started through the replicas in turn (write-through: the
 * reader logs the state, each replica reads the log once and writes it to its subscribers).
 * - delivery: from the emulator's own time of the transition (it answers the call) to arrival at each
 *   subscriber, so the reader's append, Redis and each replica's fan-out are all in it;
 * - upstream reads: DescribeInstances per poll interval at rest, for all replicas together;
 * - Redis commands per event per replica: INFO commandstats over the changes, less an idle window of
 *   the same length (leases, presence and empty XREADs tick on either way).
 *
 * Run alone: `tsx bench/suites/fanout-replicas.bench.ts [--smoke]`.
 */

import { Worker } from 'node:worker_threads';
import { createClient } from '@aws-trpc/client';
import { startEmulator } from '@aws-trpc/emulator';
import { type Replica, startRedisServer, startReplicas } from '@aws-trpc/testkit';
import { Redis } from 'ioredis';
import { type Figure, figure, type GoalResult, runWhenMain } from '../src/figure';
import { summarize } from '../src/stats';

const suite = 'fanout-replicas';
const pollSeconds = 2;

async function commandCount(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) if (m[1] !== 'info') total += Number(m[2]);
  return total;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFanoutReplicasBench({ smoke }: { smoke: boolean }): Promise<{
  method: string;
  figures: Figure[];
  goals: GoalResult[];
}> {
  const perReplica = smoke ? 10 : 1_000;
  const changes = smoke ? 4 : 20;
  const emulator = await startEmulator({ delays: { pending: 500, stopping: 500, shuttingDown: 500 } });
  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url);
  let replicas: Replica[] = [];
  const workers: Worker[] = [];
  try {
    replicas = await startReplicas(3, {
      endpoint: emulator.url,
      redisUrl: redisServer.url,
      args: ['--poll-interval', String(pollSeconds)],
      // The subscribers share one token's subscription cap and rate limit (counted across the replicas
      // in Redis): lift both, they are not what is measured.
      env: {
        AWS_TRPC_MAX_SUBSCRIPTIONS: String(perReplica * 3 + 10),
        AWS_TRPC_RATE_LIMIT: '100000',
        AWS_TRPC_RATE_BURST: '100000',
      },
    });
    const client = createClient({ url: replicas[0]!.url });
    const launched = await client.ec2.runInstances.mutate({
      ImageId: 'ami-0453ec754f44f9a4a',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
    });
    const id = launched.Instances![0]!.InstanceId!;

    // The subscribers, in one worker thread per replica, so receiving 3,000 streams is not one event
    // loop's queue (the replicas' fan-out is what is measured, not this process's parsing).
    const opened = new Map<Worker, number>();
    for (const replica of replicas) {
      const worker = new Worker(new URL('./sse-receivers.mjs', import.meta.url), {
        workerData: { url: replica.url, instanceId: id, count: perReplica },
      });
      worker.on('message', (m: { opened?: number }) => {
        if (m.opened !== undefined) opened.set(worker, m.opened);
      });
      workers.push(worker);
    }
    const openedAll = () => [...opened.values()].reduce((a, b) => a + b, 0);
    for (let i = 0; i < 600 && openedAll() < perReplica * 3; i++) await pause(100);
    if (openedAll() < perReplica * 3)
      throw new Error(`only ${openedAll()} of ${perReplica * 3} subscribers opened`);

    // The instance runs before anything is measured (its launch may predate the subscribers).
    for (let i = 0; i < 100; i++) {
      const out = await client.ec2.describeInstances.query({ InstanceIds: [id] });
      if (out.Reservations?.[0]?.Instances?.[0]?.State?.Name === 'running') break;
      await pause(100);
    }
    // Every subscriber has heard the launch by now (reads every second while it moved).
    await pause(3_000);

    const idleStart = await commandCount(redis);
    const idleReads = emulator.control.requests.count({ action: 'DescribeInstances' });
    const window = smoke ? 4_000 : 10_000;
    await pause(window);
    const idleCommands = (await commandCount(redis)) - idleStart;
    const restReads = emulator.control.requests.count({ action: 'DescribeInstances' }) - idleReads;

    // Warm-up, not measured: one stop/start through each replica, so every path (the reader's and the
    // inbox's write-through, each replica's fan-out) has run before the first measured change.
    const cycle = async (url: string) => {
      const via = createClient({ url });
      await via.ec2.stopInstances.mutate({ InstanceIds: [id] });
      await pause(1_500);
      await via.ec2.startInstances.mutate({ InstanceIds: [id] });
      await pause(1_500);
    };
    for (const replica of smoke ? replicas.slice(0, 1) : replicas) await cycle(replica.url);

    // Count from here. `<state>#<n>`: the n-th time from now on that the instance enters that state,
    // as each subscriber counts it too.
    for (const worker of workers) worker.postMessage({ counting: true });
    const transitions = new Map<string, number>();
    const counts = new Map<string, number>();
    const stop = emulator.control.events.onStateEntered((e) => {
      if (e.instanceId !== id) return;
      const n = counts.get(e.state) ?? 0;
      counts.set(e.state, n + 1);
      transitions.set(`${e.state}#${n}`, e.time);
    });

    const logKey = (await redis.keys('aws-trpc:*:log'))[0]!;
    const entriesBefore = Number(await redis.xlen(logKey));
    const activeStart = await commandCount(redis);
    const started = Date.now();
    let events = 0;
    for (let c = 0; c < changes / 2; c++) {
      await cycle(replicas[c % 3]!.url);
      events += 4; // stopping, stopped, pending, running
    }
    const elapsed = Date.now() - started;
    const activeCommands = (await commandCount(redis)) - activeStart;
    const logged = Number(await redis.xlen(logKey)) - entriesBefore;
    stop();

    // Every change each subscriber heard: `<state>#<n>` → arrival times, from all the workers.
    const arrivals = new Map<string, number[]>();
    for (const worker of workers) {
      const answer = new Promise<[string, number[]][]>((resolve) =>
        worker.once('message', (m: { arrivals: [string, number[]][] }) => resolve(m.arrivals)),
      );
      worker.postMessage('collect');
      for (const [key, times] of await answer) arrivals.set(key, [...(arrivals.get(key) ?? []), ...times]);
    }
    // Latency of the states the calls' answers carried (their transition is the emulator's answer).
    const latencies: number[] = [];
    for (const [key, at] of transitions) {
      if (!key.startsWith('stopping') && !key.startsWith('pending')) continue;
      for (const arrival of arrivals.get(key) ?? []) latencies.push(arrival - at);
    }
    const delivery = summarize(latencies);
    const idleRate = idleCommands / window;
    const extra = Math.max(0, activeCommands - idleRate * elapsed);
    const perEvent = extra / events / replicas.length;
    // The log also carries a marker per read (waiters' freshness); per entry is the work per log event.
    const perEntry = extra / Math.max(1, logged) / replicas.length;
    const readsPerInterval = restReads / (window / (pollSeconds * 1_000));
    const figures = [
      figure(suite, `delivery p50 (3 replicas × ${perReplica} SSE subscribers)`, delivery.p50, 'ms'),
      figure(suite, `delivery p99 (3 replicas × ${perReplica} SSE subscribers)`, delivery.p99, 'ms'),
      figure(suite, 'deliveries measured', delivery.n, 'count'),
      figure(
        suite,
        'upstream DescribeInstances per poll interval at rest, all replicas',
        readsPerInterval,
        'calls',
      ),
      figure(suite, 'Redis commands per state change per replica', perEvent, 'commands'),
      figure(
        suite,
        'Redis commands per log entry per replica (changes and read markers)',
        perEntry,
        'commands',
      ),
      figure(suite, 'log entries per state change', logged / events, 'entries'),
    ];
    const goals: GoalResult[] = [
      {
        goal: 'delivery p99, 3 replicas',
        measured: delivery.p99,
        bound: '≤ 150',
        unit: 'ms',
        pass: delivery.p99 <= 150,
      },
      {
        goal: 'upstream reads per interval, all replicas',
        measured: readsPerInterval,
        bound: '≤ 1.25',
        unit: 'calls',
        pass: readsPerInterval <= 1.25,
      },
      {
        goal: 'Redis commands per event per replica',
        measured: perEvent,
        bound: '≤ 2',
        unit: 'commands',
        pass: perEvent <= 2,
      },
    ];
    return {
      method:
        `3 aws-trpc serve processes (--redis-url, --poll-interval ${pollSeconds}) on one redis-server and one ` +
        `emulator (real clock, 500 ms transitions), ${perReplica} plain SSE subscribers per replica, in a ` +
        `worker thread per replica; after one unmeasured stop/start through each replica, ${changes} calls ` +
        `(stop, start) made through the replicas in turn; delivery from the emulator's ` +
        'transition time to arrival; Redis commands from INFO commandstats less an idle window.',
      figures,
      goals,
    };
  } finally {
    for (const worker of workers) await worker.terminate();
    await Promise.all(replicas.map((r) => r.kill()));
    redis.disconnect();
    await redisServer.stop();
    await emulator.close();
  }
}

runWhenMain('fanout-replicas.bench.ts', runFanoutReplicasBench);
