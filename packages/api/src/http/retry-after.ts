import { retryAfterSeconds } from '../security/rate-limiter';

/**
 * For the HTTP adapter's `responseMeta`: a `Retry-After` header when a call of the response was
 * refused by the gateway's rate limit (the longest wait of the batch).
 * https://trpc.io/docs/server/caching#using-responsemeta-to-cache-responses
 */
export function retryAfterResponseMeta(opts: { errors: readonly unknown[] }): {
  headers?: Record<string, string>;
} {
  let seconds: number | undefined;
  for (const e of opts.errors) {
    const s = retryAfterSeconds(e);
    if (s !== undefined) seconds = Math.max(seconds ?? 0, s);
  }
  return seconds === undefined ? {} : { headers: { 'retry-after': String(seconds) } };
}
