import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  requireRedisInCi,
  type Stack,
  startRedisServer,
  startStack,
} from '../../src/index';
import { LogCapture } from './security-harness';
import { delay, limitsAuth, limitTokens, sample, waitFor } from './shared-limits-harness';

/**
 * The limits two gateways count together in a real Redis: the Lua scripts' semantics (burst, refill
 * by Redis's clock, retry-after, slots that expire with their replica) and the fallback to local limits
 * while Redis is away. Each gateway's own clock is frozen (`now: () => 0`): a refill can only come from
 * Redis's TIME. The three-process version is replicas-limits.test.ts.
 */
const withRedis = requireRedisInCi('security-shared-limits.test.ts');
const slotTtlMs = 1_000;

let redis: RedisServer;
let a: Stack;
let b: Stack;
const logs = { a: new LogCapture(), b: new LogCapture() };

const start = (replicaId: 'a' | 'b') =>
  startStack({
    auth: limitsAuth,
    redis: { url: redis.url, replicaId },
    security: { subscriptionSlotTtlMs: slotTtlMs, now: () => 0 },
    log: { level: 'warn', destination: logs[replicaId] },
  });

beforeAll(async () => {
  if (!withRedis) return;
  redis = await startRedisServer();
  [a, b] = await Promise.all([start('a'), start('b')]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

const principal = (s: Stack, token: keyof typeof limitTokens) =>
  s.security.authenticator.authenticate(limitTokens[token])!;
/** The gateway's own command connection: what it sent before is done when this answers. */
const redisOf = (s: Stack) => s.gateway.deps.shared!.redis;
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: TRPCError) => e,
  );
const metricsOf = async (s: Stack) => (await fetch(`${s.origin}/metrics`)).text();

describe.runIf(withRedis)('limits shared in Redis', () => {
  it('answers /readyz with Redis: ready', async () => {
    const res = await fetch(`${a.origin}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', upstream: 'ok', redis: 'ok' });
  });

  it("takes from one bucket per token across replicas: its burst, a retry-after, a refill by Redis's clock", async () => {
    const slow = principal(a, 'slow');
    await a.security.rateLimiter.take(slow);
    await b.security.rateLimiter.take(slow);
    await a.security.rateLimiter.take(slow);
    await b.security.rateLimiter.take(slow);
    const refused = await refusal(a.security.rateLimiter.take(slow));
    expect(refused?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused?.message).toContain("rate limit of token 'slow' exceeded (2/s, burst 4); retry after 1s");
    // 2/s: the next request is back at most 500 ms after the last was taken.
    const retryAfterMs = (refused?.cause as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(500);
    await expect(b.security.rateLimiter.take(slow)).rejects.toThrow(/rate limit/);
    // Both gateways' clocks are frozen; Redis's is not.
    await delay(retryAfterMs + 50);
    await b.security.rateLimiter.take(slow);
    await expect(a.security.rateLimiter.take(slow)).rejects.toThrow(/rate limit/);

    // Another token has a bucket of its own, full.
    const other = principal(b, 'other');
    for (let i = 0; i < 4; i++) await b.security.rateLimiter.take(other);
    await expect(b.security.rateLimiter.take(other)).rejects.toThrow(/token 'other'/);
  });

  it('keeps a bucket only while it is not full: its key expires when the bucket would be full again', async () => {
    const other = principal(a, 'other');
    const key = 'aws-trpc:rate:other';
    // Spent by the previous test: 4 tokens to refill at 5/s, at most 800 ms.
    const ttl = await redisOf(a).pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(800);
    await waitFor('the idle bucket expires', async () => (await redisOf(a).exists(key)) === 0, 2_000);
    // A missing key is a full bucket, never more than the burst.
    for (let i = 0; i < 4; i++) await a.security.rateLimiter.take(other);
    await expect(a.security.rateLimiter.take(other)).rejects.toThrow(/burst 4/);
    // Redis holds token names only, never a token or its hash.
    const keys = await redisOf(a).keys('aws-trpc:*');
    expect(keys).toContain(key);
    const hashes = limitsAuth.tokens.map((t) => t.sha256);
    for (const k of keys) {
      for (const secret of [...Object.values(limitTokens), ...hashes]) expect(k).not.toContain(secret);
    }
  });

  it('caps subscriptions across replicas; a release frees its slot at once', async () => {
    const streamer = principal(a, 'streamer');
    const key = 'aws-trpc:subscriptions:streamer';
    const onA = await a.security.subscriptions.acquire(streamer);
    const onB = await b.security.subscriptions.acquire(streamer);
    const refused = await refusal(a.security.subscriptions.acquire(streamer));
    expect(refused?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused?.message).toBe(
      "token 'streamer' already has 2 open subscriptions (max 2) across replicas",
    );
    // The refused one gave back its local slot too.
    expect(a.security.subscriptions.active('streamer')).toBe(1);
    const members = await redisOf(a).zrange(key, 0, -1);
    expect(members.map((m) => m.split(':')[0]).sort()).toEqual(['a', 'b']);
    expect(members.every((m) => /^[ab]:[0-9a-f-]{36}$/.test(m))).toBe(true);

    onA();
    onA();
    // Same connection as the release's ZREM, so it is done.
    expect(await redisOf(a).zcard(key)).toBe(1);
    const again = await b.security.subscriptions.acquire(streamer);
    await expect(a.security.subscriptions.acquire(streamer)).rejects.toThrow(/across replicas/);
    onB();
    again();
    expect(await redisOf(b).zcard(key)).toBe(0);
  });

  it("keeps a live replica's slots past their TTL (heartbeat), and frees a silent replica's within it", async () => {
    const c = await startStack({
      auth: limitsAuth,
      redis: { url: redis.url, replicaId: 'c' },
      security: { subscriptionSlotTtlMs: slotTtlMs },
    });
    try {
      const streamer = principal(c, 'streamer');
      await c.security.subscriptions.acquire(streamer);
      await c.security.subscriptions.acquire(streamer);
      await delay(slotTtlMs * 1.5);
      await expect(a.security.subscriptions.acquire(streamer)).rejects.toThrow(/already has 2/);
      // c goes silent without a word, as a killed or partitioned replica does.
      redisOf(c).disconnect();
      let release: (() => void) | undefined;
      const waited = await waitFor(
        "c's slots expire",
        async () => {
          release = await a.security.subscriptions.acquire(streamer).catch(() => undefined);
          return release !== undefined;
        },
        slotTtlMs + 1_500,
      );
      expect(waited).toBeLessThanOrEqual(slotTtlMs + 1_500);
      release?.();
    } finally {
      await c.close();
    }
  });

  it('while Redis is away: local limits, one warning, a metric, /readyz degraded; then shared again', async () => {
    await redis.stop();
    const fallback = principal(a, 'fallback');
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(
        await a.security.rateLimiter.take(fallback).then(
          () => 'ok',
          (e: TRPCError) => e.code,
        ),
      );
    }
    // a's own bucket (its clock frozen): exactly the burst.
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    // Subscriptions: a's own count caps them.
    const s1 = await a.security.subscriptions.acquire(fallback);
    const s2 = await a.security.subscriptions.acquire(fallback);
    await expect(a.security.subscriptions.acquire(fallback)).rejects.toThrow(
      /^token 'fallback' already has 2 open subscriptions \(max 2\)$/,
    );

    const warnings = logs.a.text.split('\n').filter((l) => l.includes('Redis unreachable: rate limits'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":40');
    expect(logs.a.text).toContain(
      'Redis unreachable: subscriptions limits are counted by this replica alone',
    );
    const metrics = await metricsOf(a);
    expect(sample(metrics, 'aws_trpc_shared_store_fallback_total{what="rate"}')).toBe(6);
    expect(sample(metrics, 'aws_trpc_shared_store_fallback_total{what="subscriptions"}')).toBe(2);

    const degraded = await fetch(`${a.origin}/readyz`);
    expect(degraded.status).toBe(200);
    const body = (await degraded.json()) as Record<string, string>;
    expect(body).toMatchObject({ status: 'degraded', upstream: 'ok' });
    expect(body.redis).toMatch(/^unreachable: /);

    await redis.restart();
    await waitFor(
      '/readyz says Redis is back',
      async () => ((await (await fetch(`${a.origin}/readyz`)).json()) as { redis: string }).redis === 'ok',
      10_000,
      100,
    );
    // A fresh Redis: the bucket is full again, and counted there.
    await a.security.rateLimiter.take(fallback);
    expect(Number(await redisOf(a).hget('aws-trpc:rate:fallback', 'tokens'))).toBeCloseTo(3, 0);
    expect(logs.a.text).toContain('Redis answers again: rate limits are shared across replicas again');
    // The slots admitted while Redis was away are in Redis after the next heartbeat.
    await waitFor(
      'the heartbeat adds the local slots back',
      async () => (await redisOf(a).zcard('aws-trpc:subscriptions:fallback')) === 2,
      slotTtlMs * 2,
    );
    await expect(b.security.subscriptions.acquire(fallback)).rejects.toThrow(/across replicas/);
    s1();
    s2();
  });
});
