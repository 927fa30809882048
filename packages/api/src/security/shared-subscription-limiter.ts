import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type FallbackReporter, withinTimeout } from './shared-fallback';
import { type SubscriptionLimiter, tooManySubscriptions } from './subscription-limiter';

/**
 * A token's open subscriptions, across replicas: a sorted set whose members are
 * `<replicaId>:<subscription id>` scored by when they expire (Redis time, ms). Each replica refreshes
 * its members while it lives, so a dead replica's slots are free again within the slot TTL. The key
 * itself expires with its last member.
 */
const serverNowMs = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function expire_with_last(key)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIREAT', key, last[2]) end
end
`;

/** KEYS[1]: the set. ARGV: max, slot TTL ms, member. Drops expired members; adds if under the cap. Returns {admitted, open}. */
export const acquireSubscriptionScript = `${serverNowMs}
local max = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local open = redis.call('ZCARD', KEYS[1])
if open >= max then return {0, open} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
expire_with_last(KEYS[1])
return {1, open + 1}
`;

/**
 * KEYS[1]: the set. ARGV: slot TTL ms, then this replica's live members. Pushes their expiry on, and
 * adds them back when Redis lost them (restarted empty, or they were admitted while it was away).
 */
export const refreshSubscriptionsScript = `${serverNowMs}
local expiry = now + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], expiry, ARGV[i]) end
expire_with_last(KEYS[1])
return #ARGV - 1
`;

export const subscriptionsKey = (name: string) => `aws-trpc:subscriptions:${name}`;

interface SubscriptionCommands {
  awsTrpcAcquireSubscription(
    key: string,
    max: string,
    ttlMs: string,
    member: string,
  ): Promise<[number, number]>;
  awsTrpcRefreshSubscriptions(key: string, ttlMs: string, ...members: string[]): Promise<number>;
}

export interface SharedSubscriptionOptions {
  redis: Redis;
  replicaId: string;
  defaultMax: number;
  /** How long a slot counts without a heartbeat: a dead replica's subscriptions are free after it. */
  slotTtlMs: number;
  /** This replica's own count: it decides alone while Redis fails, and bounds the replica meanwhile. */
  local: SubscriptionLimiter;
  fallback: FallbackReporter;
}

/**
 * Subscription caps counted in Redis across replicas. Every slot is also taken from the local
 * limiter, so that while Redis fails this replica still caps what it holds itself.
 */
export function createSharedSubscriptionLimiter(options: SharedSubscriptionOptions): SubscriptionLimiter {
  const { redis, replicaId, defaultMax, slotTtlMs, local, fallback } = options;
  redis.defineCommand('awsTrpcAcquireSubscription', { lua: acquireSubscriptionScript, numberOfKeys: 1 });
  redis.defineCommand('awsTrpcRefreshSubscriptions', { lua: refreshSubscriptionsScript, numberOfKeys: 1 });
  const commands = redis as unknown as SubscriptionCommands;
  const ttl = String(slotTtlMs);
  /** This replica's live members, by key: what the heartbeat refreshes. */
  const held = new Map<string, Set<string>>();
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const settled = p.catch(() => {}).finally(() => pending.delete(settled));
    pending.add(settled);
  };

  const heartbeat = () => {
    for (const [key, members] of held) {
      // A failure is left alone: the slots expire, and the next beat after Redis returns adds them back.
      track(withinTimeout(commands.awsTrpcRefreshSubscriptions(key, ttl, ...members), slotTtlMs / 3));
    }
  };
  const timer = setInterval(heartbeat, Math.max(100, Math.floor(slotTtlMs / 3)));
  timer.unref();

  const forget = (key: string, member: string) => {
    const members = held.get(key);
    members?.delete(member);
    if (members?.size === 0) held.delete(key);
  };

  return {
    async acquire(principal) {
      const max = principal.limits.maxSubscriptions ?? defaultMax;
      const releaseLocal = await local.acquire(principal);
      const key = subscriptionsKey(principal.name);
      const member = `${replicaId}:${randomUUID()}`;
      let verdict: [number, number] | undefined;
      try {
        verdict = await withinTimeout(commands.awsTrpcAcquireSubscription(key, String(max), ttl, member));
        fallback.ok();
      } catch (error) {
        fallback.failed(error);
      }
      if (verdict && verdict[0] !== 1) {
        releaseLocal();
        throw tooManySubscriptions(principal.name, verdict[1], max, ' across replicas');
      }
      // Admitted by Redis, or locally while it fails: either way the heartbeat keeps it in Redis.
      const members = held.get(key) ?? new Set<string>();
      members.add(member);
      held.set(key, members);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        releaseLocal();
        forget(key, member);
        // When this fails the slot expires instead: nothing refreshes it any more.
        track(withinTimeout(redis.zrem(key, member)));
      };
    },
    active: (name) => local.active(name),
    async close() {
      clearInterval(timer);
      for (const [key, members] of held) track(withinTimeout(redis.zrem(key, ...members)));
      held.clear();
      await Promise.all(pending);
    },
  };
}
