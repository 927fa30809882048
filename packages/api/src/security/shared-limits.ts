import type { Redis } from 'ioredis';
import type { Observability } from '../observability/observability';
import type { Security } from './security';
import { fallbackReporter } from './shared-fallback';
import { createSharedRateLimiter } from './shared-rate-limiter';
import { createSharedSubscriptionLimiter } from './shared-subscription-limiter';

/** What the shared limits need of the replicas' Redis (core/redis.ts's SharedStore is one). */
export interface SharedLimitStore {
  /** A command connection that fails at once while Redis is away, so calls fall back without waiting. */
  readonly redis: Redis;
  readonly replicaId: string;
}

/**
 * The same security with its rate limit and subscription cap counted in Redis across replicas. The
 * in-process limiters of `security` stay underneath: they decide while Redis fails.
 */
export function withSharedLimits(
  security: Security,
  store: SharedLimitStore,
  observability: Observability,
): Security {
  const { logger, metrics } = observability;
  return {
    ...security,
    replicaId: store.replicaId,
    rateLimiter: createSharedRateLimiter(
      store.redis,
      security.limits.rate,
      security.rateLimiter,
      fallbackReporter('rate', logger, metrics),
    ),
    subscriptions: createSharedSubscriptionLimiter({
      redis: store.redis,
      replicaId: store.replicaId,
      defaultMax: security.limits.maxSubscriptions,
      slotTtlMs: security.limits.subscriptionSlotTtlMs,
      local: security.subscriptions,
      fallback: fallbackReporter('subscriptions', logger, metrics),
    }),
  };
}
