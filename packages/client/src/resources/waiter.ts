import type { WaiterEvent, WaiterOptions, WaiterProgressEvent, WaiterResultEvent } from '../events';
import type { Ec2WaiterName, ElbWaiterName, Service } from '../service-types';
import type { AwsTransport } from '../transport';
import { unwrapTracked } from './tracked';

export type { WaiterProgressEvent, WaiterResultEvent };

/** The success result of a wait, with the final describe output. */
export type WaiterSuccess<TOutput> = Extract<WaiterResultEvent<TOutput>, { outcome: 'success' }>;

export interface WaitOptions extends WaiterOptions {
  /** Called for every progress event the gateway streams. */
  onProgress?: (progress: WaiterProgressEvent) => void;
  signal?: AbortSignal;
}

type FailedResult = Exclude<WaiterResultEvent, { outcome: 'success' }>;

/** A wait that did not end in success: `result.outcome` says why and holds the last state seen. */
export class WaiterError extends Error {
  constructor(
    readonly waiter: string,
    readonly result: FailedResult,
  ) {
    const why = 'reason' in result ? `: ${result.reason}` : '';
    super(`${waiter} ended with ${result.outcome}${why}`);
    this.name = 'WaiterError';
  }

  get outcome(): FailedResult['outcome'] {
    return this.result.outcome;
  }
}

type WaiterProcedure = `waitUntil${Ec2WaiterName}` | `waitUntil${ElbWaiterName}`;

/**
 * Runs a gateway waiter subscription to its end: resolves with the success result, rejects with a
 * WaiterError otherwise. The gateway bounds every wait (WaiterOptions.maxWaitSeconds); `signal` ends it early.
 */
export function runWaiter<TOutput>(
  aws: AwsTransport,
  service: Service,
  procedure: WaiterProcedure,
  input: object,
  opts: WaitOptions = {},
): Promise<WaiterSuccess<TOutput>> {
  const { onProgress, signal, ...waiterOptions } = opts;
  return new Promise((resolve, reject) => {
    let settled = false;
    const aborted = (): FailedResult => ({ type: 'result', outcome: 'aborted', attempt: 0, elapsedMs: 0 });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      sub?.unsubscribe();
      fn();
    };
    const onAbort = () => finish(() => reject(new WaiterError(procedure, aborted())));
    let sub: { unsubscribe(): void } | undefined;
    sub = aws.subscribe(
      service,
      procedure,
      { ...input, ...waiterOptions },
      {
        onData(raw) {
          const event = unwrapTracked(raw) as WaiterEvent<TOutput>;
          if (event.type === 'progress') onProgress?.(event);
          else if (event.outcome === 'success') finish(() => resolve(event));
          else finish(() => reject(new WaiterError(procedure, event)));
        },
        onError: (err) => finish(() => reject(err)),
        onComplete: () => finish(() => reject(new WaiterError(procedure, aborted()))),
      },
    );
    if (settled) sub.unsubscribe();
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
