import type { ServiceName, WaiterEvent, WaiterObserved, WaiterOptions } from '@aws-trpc/shared';
import type { SourceView, StateSource } from '../source/state-source';
import { errorSummary, isNonRetryable, isNotFound } from '../source/upstream-error';
import { type Scheduler, sleep } from '../time/scheduler';
import { evaluateAcceptorsOnce, type SendOnly } from './sdk-waiter';
import { sourceReader } from './source-reader';
import { deadEndReason, observeStates } from './waiter-observation';

/** Every wait is bounded: 10 minutes unless the caller says otherwise, and never more than an hour. */
export const waiterDefaults = {
  maxWaitSeconds: 600,
  maxWaitSecondsLimit: 3_600,
  minDelaySeconds: 2,
  maxDelaySeconds: 30,
  /** NotFound right after a create is eventual consistency; after this long it is an answer. */
  notFoundGraceSeconds: 30,
} as const;

export interface RunWaiterOptions extends WaiterOptions {
  service: ServiceName;
  /** The SDK waiter's name, e.g. 'InstanceRunning'. */
  waiter: string;
  /** The operation input the waiter polls with. */
  input: unknown;
  /** Where attempts read from: the SDK client (or anything that sends like it). */
  client: SendOnly;
  scheduler: Scheduler;
  signal: AbortSignal;
  /**
   * When set, the waiter reads this shared source: each attempt follows one of its reads or a change of
   * a followed instance, and reads the source's view (going to `client` when the view cannot answer)
   * instead of sleeping on its own timer.
   */
  source?: StateSource;
  /** 'status': the waiter reads the source's status checks (DescribeInstanceStatus waiters). */
  needs?: 'status';
  notFoundGraceSeconds?: number;
}

/**
 * Runs one waiter: the SDK's acceptors decide each attempt, this loop decides when to try again and when
 * to stop (success, failure, fail-fast, timeout, abort), and streams progress in between.
 */
export async function* runWaiter<TOutput>(
  options: RunWaiterOptions,
): AsyncGenerator<WaiterEvent<TOutput>, void> {
  const { scheduler, service, waiter, source } = options;
  // Our own signal, aborted in `finally` too, so a generator closed without an abort leaves no timer behind.
  const local = new AbortController();
  const forward = () => local.abort();
  options.signal.addEventListener('abort', forward, { once: true });
  if (options.signal.aborted) local.abort();
  const signal = local.signal;
  const maxWaitMs = 1_000 * (options.maxWaitSeconds ?? waiterDefaults.maxWaitSeconds);
  const minDelayMs = 1_000 * (options.minDelaySeconds ?? waiterDefaults.minDelaySeconds);
  const maxDelayMs = Math.max(
    minDelayMs,
    1_000 * (options.maxDelaySeconds ?? waiterDefaults.maxDelaySeconds),
  );
  const graceMs = 1_000 * (options.notFoundGraceSeconds ?? waiterDefaults.notFoundGraceSeconds);
  const started = scheduler.now();
  const deadline = started + maxWaitMs;
  const elapsed = () => scheduler.now() - started;

  let attempt = 0;
  let lastObserved: WaiterObserved = {};
  let lastError: { code: string; message: string } | undefined;
  let lastOutput: unknown;

  // With a source, reads come from its view when it is fresh enough for this waiter, else from AWS.
  const client = source ? sourceReader(source, options.client, started) : options.client;
  // The probe records what the acceptors saw, so progress and outcomes can name states and errors.
  const probe: SendOnly = {
    async send(command, sendOptions) {
      try {
        const output = await client.send(command, { ...sendOptions, abortSignal: signal });
        lastOutput = output;
        lastError = undefined;
        lastObserved = withSourceStates(observeStates(output), options.input, source?.current());
        return output;
      } catch (error) {
        lastOutput = undefined;
        lastError = errorSummary(error);
        throw error;
      }
    },
  };

  const read = source ? readNotifier(source, options.needs, instanceIdsOf(options.input)) : undefined;
  const ready = (view: SourceView | undefined) =>
    view !== undefined &&
    view.readAt >= started &&
    (options.needs !== 'status' || view.statuses !== undefined || view.statusError !== undefined);
  try {
    // No verdict from a view older than the question: the first attempt waits for a read that started
    // after this waiter did (one read serves every waiter that asks meanwhile). `start()` then
    // `waitUntilRunning()` cannot fail on the `stopped` the source saw before the start.
    if (source) {
      await source.readSince(started);
      if (!ready(source.current()) && !signal.aborted) await read!.next(signal, deadline, scheduler);
    }
    while (true) {
      if (signal.aborted) break;
      attempt++;
      const state = await evaluateAcceptorsOnce(service, waiter, probe, options.input);
      if (signal.aborted) break;
      if (state === 'SUCCESS') {
        yield {
          type: 'result',
          outcome: 'success',
          output: lastOutput as TOutput,
          attempt,
          elapsedMs: elapsed(),
        };
        return;
      }
      const failure =
        state === 'FAILURE'
          ? (describeObserved(lastObserved) ?? lastError?.code ?? 'the waiter reached a failure state')
          : failFastReason(waiter, lastObserved, lastError, elapsed() >= graceMs);
      if (failure) {
        yield {
          type: 'result',
          outcome: 'failure',
          reason: failure,
          observed: lastObserved,
          ...(lastError ? { error: lastError } : {}),
          attempt,
          elapsedMs: elapsed(),
        };
        return;
      }
      if (scheduler.now() >= deadline) {
        yield progress();
        yield timeout();
        return;
      }
      // The next wait is armed before the progress event goes out, so whoever reacts to the event (a test
      // moving the virtual clock) finds the timer already there.
      const next = read
        ? read.next(signal, deadline, scheduler)
        : sleep(
            scheduler,
            Math.min(backoff(minDelayMs, maxDelayMs, attempt), deadline - scheduler.now()),
            signal,
          );
      yield progress();
      await next;
      if (signal.aborted) break;
    }
    yield { type: 'result', outcome: 'aborted', attempt, elapsedMs: elapsed() };
  } finally {
    local.abort();
    options.signal.removeEventListener('abort', forward);
    read?.close();
  }

  function progress(): WaiterEvent<TOutput> {
    return {
      type: 'progress',
      attempt,
      elapsedMs: elapsed(),
      observed: lastObserved,
      ...(lastError ? { error: lastError } : {}),
    };
  }

  function timeout(): WaiterEvent<TOutput> {
    return {
      type: 'result',
      outcome: 'timeout',
      lastObserved,
      ...(lastError ? { lastError } : {}),
      attempt,
      elapsedMs: elapsed(),
    };
  }
}

function failFastReason(
  waiter: string,
  observed: WaiterObserved,
  error: { code: string; message: string } | undefined,
  graceOver: boolean,
): string | undefined {
  if (error && isNonRetryable(error.code)) return `${error.code}: ${error.message}`;
  if (error && graceOver && isNotFound(error.code)) return `${error.code}: ${error.message}`;
  return error ? undefined : deadEndReason(waiter, observed);
}

function describeObserved(observed: WaiterObserved): string | undefined {
  const entries = Object.entries(observed);
  return entries.length ? entries.map(([id, s]) => `${id} is ${s}`).join(', ') : undefined;
}

/** Exponential backoff with jitter between min and max, the SDK waiters' own rule. */
function backoff(minMs: number, maxMs: number, attempt: number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt - 1, 30));
  return minMs + Math.random() * (ceiling - minMs);
}

/** The waiter input's InstanceIds, when it names some: the instances the waiter follows. */
function instanceIdsOf(input: unknown): string[] | undefined {
  const ids = (input as { InstanceIds?: unknown } | undefined)?.InstanceIds;
  return Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') ? ids : undefined;
}

/**
 * The states the output shows, plus the source's state of each requested instance the output leaves out:
 * DescribeInstanceStatus omits instances that are not running unless IncludeAllInstances, and a status
 * waiter must still see `stopped` to fail fast rather than run out the clock.
 */
function withSourceStates(
  observed: WaiterObserved,
  input: unknown,
  view: SourceView | undefined,
): WaiterObserved {
  const ids = instanceIdsOf(input);
  if (!view || !ids) return observed;
  for (const id of ids) {
    if (id in observed) continue;
    const state = view.instances.get(id)?.record.state;
    if (state) observed[id] = state;
  }
  return observed;
}

/**
 * Waits for the source's next read, a change of a followed instance (pushed, or made through the
 * gateway), the deadline or abort, whichever comes first.
 */
function readNotifier(source: StateSource, needs: 'status' | undefined, ids: string[] | undefined) {
  let wake: (() => void) | undefined;
  const followed = ids ? new Set(ids) : undefined;
  // A degraded source wakes the waiter too, so the attempt reports the upstream error as progress.
  const unlisten = source.listen({
    onRead: () => wake?.(),
    onEntry: (e) => {
      if (e.event.type === 'status') wake?.();
      else if (!needs && (!followed || followed.has(e.event.instanceId))) wake?.();
    },
    ...(needs ? { needs } : {}),
    ...(ids ? { watches: new Set(ids) } : {}),
  });
  return {
    async next(signal: AbortSignal, deadline: number, scheduler: Scheduler): Promise<void> {
      if (signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          cancel();
          signal.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        };
        const cancel = scheduler.schedule(done, Math.max(0, deadline - scheduler.now()));
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
    close: unlisten,
  };
}
