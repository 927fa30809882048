import type { Logger } from '../observability/logger';
import type { GatewayMetrics } from '../observability/metrics';

/** How long a limit command may wait for Redis before the call goes on with local limits. */
export const sharedCommandTimeoutMs = 500;

/**
 * A Redis command, or a rejection after `ms`: a Redis that accepts connections but does not answer
 * (a network partition without a reset) must not stall every call.
 */
export function withinTimeout<T>(promise: Promise<T>, ms = sharedCommandTimeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface FallbackReporter {
  /** Redis failed and this call used the replica's own limits: counted every time, logged now and then. */
  failed(error: unknown): void;
  /** Redis answered: logs the return once, after a fallback. */
  ok(): void;
}

/**
 * Reports the fallback from shared to local limits: the metric counts every call that fell back;
 * the log warns when it starts, then at most every `everyMs` while it lasts (never once per call),
 * and once when Redis is back.
 */
export function fallbackReporter(
  what: 'rate' | 'subscriptions',
  logger: Logger,
  metrics: Pick<GatewayMetrics, 'sharedStoreFallback'>,
  everyMs = 30_000,
  now: () => number = () => performance.now(),
): FallbackReporter {
  let since: number | undefined;
  let warnedAt = 0;
  let count = 0;
  return {
    failed(error) {
      metrics.sharedStoreFallback(what);
      count++;
      const t = now();
      if (since !== undefined && t - warnedAt < everyMs) return;
      since ??= t;
      warnedAt = t;
      const err = error as { name?: string; message?: string } | undefined;
      logger.warn(
        {
          what,
          fallbacks: count,
          err: { name: err?.name ?? 'Error', message: err?.message ?? String(error) },
        },
        `Redis unreachable: ${what} limits are counted by this replica alone until it answers again`,
      );
    },
    ok() {
      if (since === undefined) return;
      // At warn, like the fallback it ends: an operator who sees one sees the other.
      logger.warn(
        { what, fallbacks: count, seconds: Math.round((now() - since) / 1000) },
        `Redis answers again: ${what} limits are shared across replicas again`,
      );
      since = undefined;
      count = 0;
    },
  };
}
