import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '@aws-trpc/api';
import { createClient } from '@aws-trpc/client';
import { type Emulator, startEmulator } from '@aws-trpc/emulator';
import { transformer } from '@aws-trpc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSse,
  type RedisServer,
  type Replica,
  requireRedisInCi,
  startRedisServer,
  startReplica,
} from '../../src/index';
import { limitsAuth, limitTokens, sample, waitFor } from './shared-limits-harness';

/**
 * Three real `aws-trpc serve` processes on one redis-server: a token's rate limit and subscription cap
 * hold across them, Redis going away leaves each on its own limits, and its return shares them again.
 */
const withRedis = requireRedisInCi('replicas-limits.test.ts');
const N = 10; // tenA, tenB, tenC: 10/s, burst 10
const slotTtlMs = 2_000;
const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-replicas-limits-'));
const authFile = join(dir, 'auth.json');
const auditOf = (id: string) => join(dir, `audit-${id}.jsonl`);

let emulator: Emulator;
let redis: RedisServer;
let replicas: Replica[] = [];

beforeAll(async () => {
  if (!withRedis) return;
  writeFileSync(authFile, JSON.stringify(limitsAuth), { mode: 0o600 });
  [emulator, redis] = await Promise.all([startEmulator({ clock: 'real' }), startRedisServer()]);
  replicas = await Promise.all(
    ['r1', 'r2', 'r3'].map((id) =>
      startReplica(id, {
        endpoint: emulator.url,
        redisUrl: redis.url,
        args: ['--auth-file', authFile, '--audit-file', auditOf(id)],
        env: { AWS_TRPC_SUBSCRIPTION_SLOT_TTL_MS: String(slotTtlMs), AWS_TRPC_LOG_LEVEL: 'warn' },
      }),
    ),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await Promise.all([redis?.stop(), emulator?.close()]);
});

/**
 * `perReplica` calls of gateway.whoami (it takes one request from the token's limit) at every replica
 * at once. `elapsed` bounds the refill that may honestly add to a burst: rate × seconds.
 */
async function burst(token: string, perReplica: number, targets = replicas) {
  const started = performance.now();
  const statuses = await Promise.all(
    targets.map((r) =>
      Promise.all(
        Array.from({ length: perReplica }, () =>
          fetch(`${r.url}/gateway.whoami`, { headers: { authorization: `Bearer ${token}` } }).then(
            async (res) => {
              await res.arrayBuffer();
              if (res.status === 429) expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
              return res.status;
            },
          ),
        ),
      ),
    ),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  const ok = statuses.map((s) => s.filter((x) => x === 200).length);
  const refused = statuses.map((s) => s.filter((x) => x === 429).length);
  const others = statuses.flat().filter((x) => x !== 200 && x !== 429);
  return { ok, refused, others, total: ok.reduce((x, y) => x + y, 0), elapsedSeconds };
}
/** The most a bucket of N/s, burst N, may honestly give within `seconds`. */
const atMost = (seconds: number) => N + Math.ceil(seconds * N) + 1;

const readyz = async (r: Replica) => {
  const res = await fetch(`${r.origin}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
};

/**
 * Opens the instance-state stream on a replica; resolves with whether the gateway admitted it. Every
 * stream starts with `connected`; then an admitted one sends its snapshot, a refused one its error.
 */
async function subscribe(r: Replica) {
  const input = encodeURIComponent(JSON.stringify(transformer.serialize({ snapshot: true })));
  const sse = openSse(`${r.url}/ec2.onInstanceStateChange?input=${input}`, {
    authorization: `Bearer ${limitTokens.streamer}`,
  });
  const frames = await sse.until((f) => f.event === undefined || f.event === 'serialized-error');
  const refusal = frames.find((f) => f.event === 'serialized-error');
  if (refusal) sse.close();
  return { admitted: !refusal, refusal: refusal?.data ?? '', close: () => sse.close() };
}

describe.runIf(withRedis)('three replicas, one Redis: shared limits', () => {
  it('/readyz reports Redis on every replica', async () => {
    for (const r of replicas) {
      expect(await readyz(r)).toEqual({
        status: 200,
        body: { status: 'ready', upstream: 'ok', redis: 'ok' },
      });
    }
  });

  it(`a token limited to ${N}/s gets ${N} across three replicas, not ${3 * N}`, async () => {
    const { ok, refused, others, total, elapsedSeconds } = await burst(limitTokens.tenA, 2 * N);
    expect(others).toEqual([]);
    expect(ok.map((n, i) => n + refused[i]!)).toEqual([2 * N, 2 * N, 2 * N]);
    expect(total).toBeGreaterThanOrEqual(N);
    expect(total, `${total} calls answered 200 in ${elapsedSeconds.toFixed(3)} s`).toBeLessThanOrEqual(
      atMost(elapsedSeconds),
    );
    // The calls were quick enough for that bound to tell N from 3N.
    expect(atMost(elapsedSeconds)).toBeLessThan(3 * N);
  });

  it('writes the replica into each audit record', async () => {
    for (const r of replicas.slice(0, 2)) {
      const client = createClient({ url: r.url, token: limitTokens.admin, batch: false });
      await client.ec2.createKeyPair.mutate({ KeyName: `audited-on-${r.replicaId}` });
      const records = readFileSync(auditOf(r.replicaId), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditRecord);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        replica: r.replicaId,
        token: 'admin',
        operation: 'ec2:CreateKeyPair',
        outcome: 'ok',
      });
    }
  });

  it('Redis stopped: calls go on against each replica’s own limits, logged and counted; restarted: shared again', async () => {
    await redis.stop();
    const away = await burst(limitTokens.tenB, 2 * N);
    expect(away.others).toEqual([]);
    // Each replica counts alone: its own bucket, N at least and never much more.
    for (const ok of away.ok) {
      expect(ok).toBeGreaterThanOrEqual(N);
      expect(ok).toBeLessThanOrEqual(atMost(away.elapsedSeconds));
    }
    for (const r of replicas) {
      expect(r.output()).toContain('Redis unreachable: rate limits are counted by this replica alone');
      const metrics = await (await fetch(`${r.origin}/metrics`)).text();
      expect(sample(metrics, 'aws_trpc_shared_store_fallback_total{what="rate"}')).toBe(2 * N);
      const { status, body } = await readyz(r);
      expect(status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.redis).toMatch(/^unreachable: /);
    }

    await redis.restart();
    await waitFor(
      'every replica reconnects to Redis',
      async () => (await Promise.all(replicas.map(readyz))).every((r) => r.body.redis === 'ok'),
      10_000,
      100,
    );
    const back = await burst(limitTokens.tenC, 2 * N);
    expect(back.others).toEqual([]);
    expect(back.total).toBeGreaterThanOrEqual(N);
    expect(back.total).toBeLessThanOrEqual(atMost(back.elapsedSeconds));
    for (const r of replicas) {
      expect(r.output()).toContain('Redis answers again: rate limits are shared across replicas again');
    }
  });

  it('caps subscriptions across replicas; a closed one frees its slot, a killed replica’s slots expire', async () => {
    const [r1, r2, r3] = replicas as [Replica, Replica, Replica];
    const a = await subscribe(r1);
    const b = await subscribe(r2);
    expect([a.admitted, b.admitted]).toEqual([true, true]);
    const refused = await subscribe(r3);
    expect(refused.admitted).toBe(false);
    expect(refused.refusal).toContain('TOO_MANY_REQUESTS');
    expect(refused.refusal).toContain(
      "token 'streamer' already has 2 open subscriptions (max 2) across replicas",
    );

    // r1 sees the disconnect, then gives the slot back in Redis.
    a.close();
    let c: Awaited<ReturnType<typeof subscribe>> | undefined;
    await waitFor(
      'the closed subscription frees its slot',
      async () => {
        c = await subscribe(r3);
        return c.admitted;
      },
      5_000,
      100,
    );

    // r3 dies holding c's slot: it counts until its TTL runs out, then frees.
    await r3.kill();
    const killedAt = performance.now();
    const right = await subscribe(r1);
    expect(right.admitted).toBe(false);
    let d: Awaited<ReturnType<typeof subscribe>> | undefined;
    await waitFor(
      "the killed replica's slot expires",
      async () => {
        d = await subscribe(r1);
        return d.admitted;
      },
      slotTtlMs + 3_000,
      100,
    );
    expect(performance.now() - killedAt).toBeLessThanOrEqual(slotTtlMs + 3_000);
    b.close();
    d?.close();
  });
});
