import { TRPCError } from '@trpc/server';
import type { AuthorizedPrincipal } from './principal';

export interface RateLimit {
  /** Sustained requests per second; Infinity disables the limit. */
  requestsPerSecond: number;
  /** Requests allowed at once above the sustained rate. */
  burst: number;
}

/** The cause of a gateway TOO_MANY_REQUESTS: the error formatter and responseMeta read `retryAfterMs`. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`rate limited; retry after ${Math.ceil(retryAfterMs / 1000)}s`);
  }
}

export interface RateLimiter {
  /**
   * Takes one request from the principal's bucket, or rejects with TOO_MANY_REQUESTS and a retry-after
   * (its cause a RateLimitedError). Asynchronous, so a shared store (Redis) can back it.
   */
  take(principal: AuthorizedPrincipal): Promise<void>;
}

/**
 * A token bucket per principal, in process. Buckets are keyed by principal name, and principals come
 * from the auth file, so the map is bounded by the file.
 */
export function createRateLimiter(
  defaults: RateLimit,
  now: () => number = () => performance.now(),
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(principal) {
      const rate = principal.limits.requestsPerSecond ?? defaults.requestsPerSecond;
      const burst = principal.limits.burst ?? defaults.burst;
      if (rate === Number.POSITIVE_INFINITY) return;
      const t = now();
      const b = buckets.get(principal.name) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
      buckets.set(principal.name, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      throw rateLimited(
        principal.name,
        { requestsPerSecond: rate, burst },
        Math.ceil(((1 - b.tokens) / rate) * 1000),
      );
    },
  };
}

/** The TOO_MANY_REQUESTS of a spent bucket, the same whichever limiter (local or shared) counted it. */
export function rateLimited(name: string, limit: RateLimit, retryAfterMs: number): TRPCError {
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `rate limit of token '${name}' exceeded (${limit.requestsPerSecond}/s, burst ${limit.burst}); retry after ${Math.ceil(retryAfterMs / 1000)}s`,
    cause: new RateLimitedError(retryAfterMs),
  });
}

/**
 * Seconds for a Retry-After header when an error is the gateway's own rate limit, else undefined.
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function retryAfterSeconds(error: unknown): number | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof RateLimitedError ? Math.max(1, Math.ceil(cause.retryAfterMs / 1000)) : undefined;
}
