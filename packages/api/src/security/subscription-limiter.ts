import { TRPCError } from '@trpc/server';
import type { AuthorizedPrincipal } from './principal';

export interface SubscriptionLimiter {
  /**
   * Reserves a subscription slot for the principal, or rejects with TOO_MANY_REQUESTS; the returned
   * release is idempotent. Asynchronous, so a shared store (Redis) can count slots across replicas.
   */
  acquire(principal: AuthorizedPrincipal): Promise<() => void>;
  /** Open subscriptions of a principal on this replica (for tests and metrics). */
  active(principalName: string): number;
  /** Stops background work (a shared limiter's heartbeat) and gives back what this replica holds. */
  close(): Promise<void>;
}

/** The TOO_MANY_REQUESTS of a full cap, the same whichever limiter (local or shared) counted it. */
export function tooManySubscriptions(name: string, open: number, max: number, where = ''): TRPCError {
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `token '${name}' already has ${open} open subscriptions (max ${max})${where}`,
  });
}

/** Caps concurrent subscriptions (streams and waiters) per token, in process. */
export function createSubscriptionLimiter(defaultMax: number): SubscriptionLimiter {
  const open = new Map<string, number>();
  return {
    // The count changes before the first await: concurrent acquires never both take the last slot.
    async acquire(principal) {
      const max = principal.limits.maxSubscriptions ?? defaultMax;
      const n = open.get(principal.name) ?? 0;
      if (n >= max) throw tooManySubscriptions(principal.name, n, max);
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
    close: async () => {},
  };
}
