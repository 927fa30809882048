import type { Service } from '../service-types';
import type { AwsTransport } from '../transport';
import { unwrapTracked } from './tracked';

/** Events buffered for a consumer that reads slower than they arrive, before the stream fails. */
const MAX_BUFFERED = 10_000;

/**
 * A gateway subscription as an async iterable: `for await (const e of stream)`; `break` or the signal
 * unsubscribes. Events are kept in order; a consumer that falls MAX_BUFFERED behind gets an error.
 */
export function subscriptionStream<T>(
  aws: AwsTransport,
  service: Service,
  procedure: string,
  input: unknown,
  signal?: AbortSignal,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const queue: T[] = [];
      let failure: { err: unknown } | undefined;
      let done = false;
      let wake: (() => void) | undefined;
      const notify = () => {
        wake?.();
        wake = undefined;
      };
      const sub = aws.subscribe(service, procedure, input, {
        onData(raw) {
          if (queue.length >= MAX_BUFFERED) {
            failure = {
              err: new Error(`${service}.${procedure}: consumer fell ${MAX_BUFFERED} events behind`),
            };
            sub.unsubscribe();
          } else queue.push(unwrapTracked(raw) as T);
          notify();
        },
        onError(err) {
          failure = { err };
          notify();
        },
        onComplete() {
          done = true;
          notify();
        },
      });
      const close = () => {
        done = true;
        sub.unsubscribe();
        signal?.removeEventListener('abort', close);
        notify();
      };
      signal?.addEventListener('abort', close, { once: true });
      return {
        async next(): Promise<IteratorResult<T>> {
          for (;;) {
            const item = queue.shift();
            if (item !== undefined) return { value: item, done: false };
            if (failure) {
              close();
              throw failure.err;
            }
            if (done || signal?.aborted) return { value: undefined, done: true };
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return(): Promise<IteratorResult<T>> {
          close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
