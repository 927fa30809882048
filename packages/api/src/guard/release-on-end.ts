/**
 * Wraps a subscription's async iterable so `release` runs exactly once when the stream ends: it
 * finishes, fails, or the client goes away (tRPC calls `return()` and aborts the signal).
 * Values pass through untouched, `tracked()` ids included.
 */
export function releaseOnEnd(data: unknown, release: () => void, signal: AbortSignal | undefined): unknown {
  signal?.addEventListener('abort', release, { once: true });
  // The caller may have gone while its slot was being acquired (a Redis round trip): no abort event then.
  if (signal?.aborted) release();
  if (!data || typeof data !== 'object' || !(Symbol.asyncIterator in data)) {
    // Not an async iterable (an observable, or an error path): the signal is the only end we can see.
    if (!signal) release();
    return data;
  }
  const source = data as AsyncIterable<unknown>;
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const it = source[Symbol.asyncIterator]();
      const end = <T extends IteratorResult<unknown>>(r: T): T => {
        if (r.done) release();
        return r;
      };
      const fail = (e: unknown): never => {
        release();
        throw e;
      };
      return {
        next: (...args) => it.next(...args).then(end, fail),
        return: (value?: unknown) => {
          release();
          return it.return ? it.return(value) : Promise.resolve({ done: true, value });
        },
        throw: (e?: unknown) => {
          release();
          return it.throw ? it.throw(e) : Promise.reject(e);
        },
      };
    },
  };
}
