import type { Redis } from 'ioredis';
import { type RateLimit, type RateLimiter, rateLimited } from './rate-limiter';
import type { FallbackReporter } from './shared-fallback';
import { withinTimeout } from './shared-fallback';

/**
 * The token bucket of rate-limiter.ts, kept in Redis so that every replica takes from one bucket per
 * token. Times are Redis's own (TIME), so the replicas' clocks do not matter. The bucket is a hash
 * {tokens, at} that expires once it would be full again: a missing key is a full bucket.
 * KEYS[1]: the bucket. ARGV: requests per second, burst. Returns {1, 0}, or {0, retry-after in ms}.
 * Numbers are stored with %.17g, Lua's default (%.14g) would round today's epoch in milliseconds.
 */
export const takeRateScript = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = tokens + (now - at) * rate / 1000
  at = now
end
tokens = math.min(burst, tokens)
local allowed, wait = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) * 1000 / rate)))
return {allowed, wait}
`;

/** Where a token's bucket lives; the token's name, never the token or its hash. */
export const rateKey = (name: string) => `aws-trpc:rate:${name}`;

interface RateCommands {
  awsTrpcTakeRate(key: string, rate: string, burst: string): Promise<[number, number]>;
}

/**
 * Rate limits counted in Redis across replicas, with the semantics of the local limiter (a token's
 * own rate and burst over the defaults). When Redis fails, the call goes on against `local`.
 */
export function createSharedRateLimiter(
  redis: Redis,
  defaults: RateLimit,
  local: RateLimiter,
  fallback: FallbackReporter,
): RateLimiter {
  // EVALSHA, with the script sent again by ioredis when Redis does not know it (after a restart).
  redis.defineCommand('awsTrpcTakeRate', { lua: takeRateScript, numberOfKeys: 1 });
  const commands = redis as unknown as RateCommands;
  return {
    async take(principal) {
      const limit = {
        requestsPerSecond: principal.limits.requestsPerSecond ?? defaults.requestsPerSecond,
        burst: principal.limits.burst ?? defaults.burst,
      };
      if (limit.requestsPerSecond === Number.POSITIVE_INFINITY) return;
      let verdict: [number, number];
      try {
        verdict = await withinTimeout(
          commands.awsTrpcTakeRate(
            rateKey(principal.name),
            String(limit.requestsPerSecond),
            String(limit.burst),
          ),
        );
      } catch (error) {
        fallback.failed(error);
        return local.take(principal);
      }
      fallback.ok();
      if (verdict[0] !== 1) throw rateLimited(principal.name, limit, verdict[1]);
    },
  };
}
