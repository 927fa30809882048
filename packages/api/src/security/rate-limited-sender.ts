import type { Scheduler } from '../time/scheduler';
import type { AuthorizedPrincipal } from './principal';
import { RateLimitedError, type RateLimiter } from './rate-limiter';

/** The part of an SDK client a waiter uses. */
interface Sender {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export interface RateLimitedSenderOptions {
  limiter: RateLimiter;
  principal: AuthorizedPrincipal;
  /** The waiter's clock: a wait for the limit is a timer on it (virtual in tests). */
  scheduler: Scheduler;
  /** Called each time a call waits for the limit (metrics). */
  onWait?: (ms: number) => void;
}

/** At most this many waits for one call: the limit refills, so only an abort ends a longer wait. */
const maxWaits = 10_000;

/**
 * A client whose every `send` first takes one request from the principal's rate limit: a waiter's
 * attempts that reach AWS count like the principal's own calls. When the limit is spent, the call waits
 * for it (the retry-after the limiter names) instead of failing, so the waiter slows down and goes on.
 * An abort (the waiter ends) ends the wait, with the signal's reason.
 */
export function rateLimitedSender<C extends Sender>(client: C, options: RateLimitedSenderOptions): C {
  const { limiter, principal, scheduler, onWait } = options;
  const send = async (command: never, sendOptions?: { abortSignal?: AbortSignal }) => {
    const signal = sendOptions?.abortSignal;
    for (let waits = 0; ; waits++) {
      signal?.throwIfAborted();
      try {
        await limiter.take(principal);
        break;
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        if (!(cause instanceof RateLimitedError) || waits >= maxWaits) throw error;
        onWait?.(cause.retryAfterMs);
        await waitFor(scheduler, cause.retryAfterMs, signal);
      }
    }
    return client.send(command, sendOptions);
  };
  return new Proxy(client, {
    get: (target, key, receiver) => (key === 'send' ? send : Reflect.get(target, key, receiver)),
  });
}

function waitFor(scheduler: Scheduler, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = scheduler.schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
