import { EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { createClient, type InstanceStateEvent, resources } from '@aws-trpc/client';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type RedisServer,
  type Replica,
  requireRedisInCi,
  startRedisServer,
  startReplica,
  startReplicas,
} from '../../src/index';

/**
 * Three `aws-trpc serve` processes in front of one emulator, sharing one real redis-server: one event
 * log, one reader of AWS, the same ids everywhere. Real clock; the emulator's transitions take 500 ms.
 */

const haveRedis = requireRedisInCi('replicas.test.ts');

let emu: Emulator;
let ec2: EC2Client;
let redis: RedisServer;
let replicas: Replica[] = [];
const subs: { close(): void }[] = [];

const args = ['--poll-interval', '2', '--lease-ttl', '3'];

beforeAll(async () => {
  if (!haveRedis) return;
  emu = await startEmulator({ delays: { pending: 500, stopping: 500, shuttingDown: 500 } });
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
  });
  redis = await startRedisServer();
}, 60_000);

afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  await Promise.all(replicas.map((r) => r.kill()));
  replicas = [];
  if (haveRedis) {
    const r = new Redis(redis.url);
    await r.flushall();
    r.disconnect();
  }
});

afterAll(async () => {
  ec2?.destroy();
  await emu?.close();
  await redis?.stop();
});

interface Heard {
  id: string | undefined;
  event: InstanceStateEvent;
}

/** A subscriber of every instance through the client, on one replica; `until` resolves on arrival. */
function subscribe(replica: Replica, lastEventId?: string) {
  const heard: Heard[] = [];
  const notify = () => {};
  const sub = createClient({ url: replica.url }).ec2.onInstanceStateChange.subscribe(
    lastEventId ? { lastEventId } : {},
    {
      onData(data: unknown) {
        const tracked = data as { id?: string; data?: InstanceStateEvent };
        heard.push({ id: tracked.id, event: (tracked.data ?? data) as InstanceStateEvent });
        notify();
      },
    },
  );
  subs.push({ close: () => sub.unsubscribe() });
  const changes = () => heard.filter((h) => h.event.type === 'change');
  return {
    heard,
    changes,
    async until(done: () => boolean, timeout = 20_000) {
      await vi.waitUntil(done, { timeout, interval: 20 });
    },
    close: () => sub.unsubscribe(),
  };
}

const change = (h: Heard) => h.event as Extract<InstanceStateEvent, { type: 'change' }>;
const states = (list: Heard[], instanceId: string) =>
  list.filter((h) => change(h).instanceId === instanceId).map((h) => change(h).state);

/** Launched through a replica (write-through: its pending is logged at once), or straight at AWS. */
async function launch(through?: Replica): Promise<string> {
  const input = {
    ImageId: 'ami-0453ec754f44f9a4a',
    MinCount: 1,
    MaxCount: 1,
    InstanceType: 't3.micro' as const,
  };
  const out = through
    ? await createClient({ url: through.url }).ec2.runInstances.mutate(input)
    : await ec2.send(new RunInstancesCommand(input));
  return out.Instances![0]!.InstanceId!;
}

/** Stream ids (`<ms>-<n>`) in log order. */
function laterId(a: string, b: string): boolean {
  const [am, an] = a.split('-').map(Number) as [number, number];
  const [bm, bn] = b.split('-').map(Number) as [number, number];
  return am > bm || (am === bm && an > bn);
}

const describes = () => emu.control.requests.count({ service: 'ec2', action: 'DescribeInstances' });

async function leaseHolder(): Promise<string | undefined> {
  const r = new Redis(redis.url);
  try {
    const keys = await r.keys('aws-trpc:*:lease');
    const value = keys[0] ? await r.get(keys[0]) : null;
    return value?.split('#')[0];
  } finally {
    r.disconnect();
  }
}

describe.skipIf(!haveRedis)('replicas sharing one Redis', () => {
  it('read AWS once for all: at rest, three replicas make the DescribeInstances calls of one', async () => {
    const [one] = await startReplicas(1, { endpoint: emu.url, redisUrl: redis.url, args });
    replicas.push(one!);
    const a = subscribe(one!);
    await a.until(() => a.heard.some((h) => h.event.type === 'snapshot'));
    let before = describes();
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const single = describes() - before;
    a.close();
    await one!.kill();
    replicas = [];

    replicas = await startReplicas(3, { endpoint: emu.url, redisUrl: redis.url, args });
    const spread = replicas.map((r) => subscribe(r));
    for (const s of spread) await s.until(() => s.heard.some((h) => h.event.type === 'snapshot'));
    before = describes();
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const three = describes() - before;
    // A read every 2 s at rest: about 4 in 8 s, whichever the number of replicas.
    expect(single).toBeGreaterThanOrEqual(3);
    expect(Math.abs(three - single)).toBeLessThanOrEqual(1);
  }, 60_000);

  it('deliver the same event ids on every replica, and resume a cursor of one replica on another, exactly', async () => {
    replicas = await startReplicas(3, { endpoint: emu.url, redisUrl: redis.url, args });
    const [r1, r2, r3] = replicas as [Replica, Replica, Replica];
    const s1 = subscribe(r1);
    const s2 = subscribe(r2);
    await s1.until(() => s1.heard.some((h) => h.event.type === 'snapshot'));
    await s2.until(() => s2.heard.some((h) => h.event.type === 'snapshot'));
    const id = await launch(r3);
    await s1.until(() => states(s1.changes(), id).includes('running'));
    await s2.until(() => states(s2.changes(), id).includes('running'));
    // s1 goes away with its cursor; changes go on meanwhile.
    const cursor = s1.changes().at(-1)!.id!;
    s1.close();
    // Made through replica 2: write-through from a replica that may not hold the lease.
    await createClient({ url: r2.url }).ec2.stopInstances.mutate({ InstanceIds: [id] });
    await s2.until(() => states(s2.changes(), id).includes('stopped'));
    await createClient({ url: r1.url }).ec2.startInstances.mutate({ InstanceIds: [id] });
    await s2.until(() => states(s2.changes(), id).filter((s) => s === 'running').length === 2);

    const missed = s2.changes().filter((h) => laterId(h.id!, cursor));
    const resumed = subscribe(r3, cursor);
    await resumed.until(() => resumed.changes().length >= missed.length);
    expect(resumed.heard.some((h) => h.event.type === 'resync' || h.event.type === 'snapshot')).toBe(false);
    expect(resumed.changes().map((h) => h.id)).toEqual(missed.map((h) => h.id));
    expect(states(missed, id)).toEqual(['stopping', 'stopped', 'pending', 'running']);
    // Every replica delivers the same ids for the same events.
    expect(s1.changes().map((h) => h.id)).toEqual(
      s2
        .changes()
        .slice(0, s1.changes().length)
        .map((h) => h.id),
    );
  }, 60_000);

  it("wait and stream on any replica: a follower's waiters end within the transition plus 1.5 s, every state heard once", async () => {
    replicas = await startReplicas(3, { endpoint: emu.url, redisUrl: redis.url, args });
    const s = subscribe(replicas[0]!);
    await s.until(() => s.heard.some((h) => h.event.type === 'snapshot'));
    // The calls and the waits go to a replica that does not hold the lease: its write-through travels
    // through the reader's inbox, its waiters' fresh reads through the log.
    const holder = await leaseHolder();
    const follower = replicas.find((r) => r.replicaId !== holder && r !== replicas[0])!;
    expect(follower).toBeDefined();
    const { ec2: fleet } = resources(createClient({ url: follower.url }));
    const [instance] = await fleet.createInstances({
      ImageId: 'ami-0453ec754f44f9a4a',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
    });
    const timed = async (step: () => Promise<unknown>) => {
      const started = Date.now();
      await step();
      return Date.now() - started;
    };
    const waits = {
      launch: await timed(() => instance!.waitUntilRunning()),
      stop: await timed(async () => {
        await instance!.stop();
        await instance!.waitUntilStopped();
      }),
      start: await timed(async () => {
        await instance!.start();
        await instance!.waitUntilRunning();
      }),
    };
    for (const [step, ms] of Object.entries(waits)) expect(ms, step).toBeLessThan(500 + 1_500);
    await s.until(() => states(s.changes(), instance!.id).length >= 6);
    expect(states(s.changes(), instance!.id)).toEqual([
      'pending',
      'running',
      'stopping',
      'stopped',
      'pending',
      'running',
    ]);
  }, 60_000);

  it('survive the death of the reader: another takes over within the lease, no subscriber loses or repeats an event', async () => {
    replicas = await startReplicas(3, { endpoint: emu.url, redisUrl: redis.url, args });
    const subsByReplica = new Map(replicas.map((r) => [r.replicaId, subscribe(r)]));
    for (const s of subsByReplica.values())
      await s.until(() => s.heard.some((h) => h.event.type === 'snapshot'));
    const id = await launch(replicas[0]);
    for (const s of subsByReplica.values()) await s.until(() => states(s.changes(), id).includes('running'));
    const holder = await leaseHolder();
    const victim = replicas.find((r) => r.replicaId === holder)!;
    expect(victim).toBeDefined();
    await victim.kill();
    const killedAt = Date.now();
    // Changed straight at AWS: only a reader's read can tell the survivors.
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    const survivors = [...subsByReplica].filter(([replica]) => replica !== holder).map(([, s]) => s);
    for (const s of survivors) await s.until(() => states(s.changes(), id).includes('stopped'), 20_000);
    expect(Date.now() - killedAt).toBeLessThan(3_000 + 2_000 + 3_000); // lease, a read interval, margin
    const newHolder = await leaseHolder();
    expect(newHolder).not.toBe(holder);
    for (const s of survivors) {
      const seen = states(s.changes(), id);
      expect(seen.slice(0, 2)).toEqual(['pending', 'running']);
      expect(seen.at(-1)).toBe('stopped');
      expect(new Set(s.changes().map((h) => h.id)).size).toBe(s.changes().length); // no event twice
    }
    const [a, b] = survivors as [ReturnType<typeof subscribe>, ReturnType<typeof subscribe>];
    expect(a.changes().map((h) => h.id)).toEqual(b.changes().map((h) => h.id));
  }, 60_000);

  it('keep serving calls while Redis restarts: streams degrade, then recover', async () => {
    replicas = await startReplicas(2, { endpoint: emu.url, redisUrl: redis.url, args });
    const s = subscribe(replicas[1]!);
    await s.until(() => s.heard.some((h) => h.event.type === 'snapshot'));
    await redis.stop(true);
    await s.until(() => s.heard.some((h) => h.event.type === 'status' && h.event.status === 'degraded'));
    // Calls keep working without Redis.
    for (const r of replicas) {
      await expect(createClient({ url: r.url }).ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
    }
    await redis.restart();
    await s.until(() => s.heard.some((h) => h.event.type === 'status' && h.event.status === 'recovered'));
    // And the stream works again: a change reaches the subscriber.
    const id = await launch();
    await s.until(() => states(s.changes(), id).includes('running'), 20_000);
    // A replica started now joins the same log.
    const late = await startReplica('r9', { endpoint: emu.url, redisUrl: redis.url, args });
    replicas.push(late);
    const t = subscribe(late);
    await t.until(() => t.heard.some((h) => h.event.type === 'snapshot'));
    const snapshot = t.heard.find((h) => h.event.type === 'snapshot')!.event as Extract<
      InstanceStateEvent,
      { type: 'snapshot' }
    >;
    expect(snapshot.instances.map((i) => i.instanceId)).toContain(id);
  }, 90_000);
});
