import { TRPCError } from '@trpc/server';
import type { AuthorizedPrincipal } from './principal';

export interface SubscriptionLimiter {
  /** Reserves a subscription slot for the principal; the returned release is idempotent. */
  acquire(principal: AuthorizedPrincipal): () => void;
  /** Open subscriptions of a principal (for tests and metrics). */
  active(principalName: string): number;
}

/** Caps concurrent subscriptions (streams and waiters) per token. */
export function createSubscriptionLimiter(defaultMax: number): SubscriptionLimiter {
  const open = new Map<string, number>();
  return {
    acquire(principal) {
      const max = principal.limits.maxSubscriptions ?? defaultMax;
      const n = open.get(principal.name) ?? 0;
      if (n >= max) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `token '${principal.name}' already has ${n} open subscriptions (max ${max})`,
        });
      }
      open.set(principal.name, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(principal.name) ?? 1) - 1;
        if (left > 0) open.set(principal.name, left);
        else open.delete(principal.name);
      };
    },
    active: (name) => open.get(name) ?? 0,
  };
}
