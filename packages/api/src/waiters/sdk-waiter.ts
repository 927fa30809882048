import type { ServiceName } from '@aws-trpc/shared';
import { sdkWaitUntil } from '@aws-trpc/shared/sdk';

/** What one evaluation of a waiter's acceptors decided. */
export type AcceptorState = 'SUCCESS' | 'FAILURE' | 'RETRY';

/** The part of an SDK client a waiter's acceptors use: `send`. */
export interface SendOnly {
  send(
    command: { input: unknown; constructor: { name: string } },
    options?: { abortSignal?: AbortSignal },
  ): Promise<any>;
}

type WaitUntil = (
  params: { client: unknown; maxWaitTime: number; minDelay: number; maxDelay: number; abortSignal: unknown },
  input: unknown,
) => Promise<{ state: string }>;

/**
 * A signal that reads as aborted but that `createWaiter` cannot listen to (no `addEventListener`):
 * the SDK's `runPolling` evaluates the acceptors once, then, before its first sleep, sees
 * `abortSignal.aborted` and returns ABORTED. So an attempt costs exactly one evaluation and no timer.
 * Source: @smithy/core src/submodules/client/util-waiter/poller.ts; test/sdk-waiter.test.ts pins it.
 */
const afterFirstAttempt = { aborted: true };

/**
 * The SDK's own acceptors for a waiter (its `waitUntilX`), run for exactly one attempt. The SDK's
 * polling loop sleeps on real timers; we keep its acceptors and drive the schedule ourselves (virtual
 * clock in tests, fail-fast rules, reads from the shared state source).
 *
 * `waitUntilX` resolves on SUCCESS and throws otherwise: an `AbortError` after a RETRY (the signal
 * above), and an Error whose message is the result's JSON on FAILURE.
 */
export async function evaluateAcceptorsOnce(
  service: ServiceName,
  waiterName: string,
  client: SendOnly,
  input: unknown,
): Promise<AcceptorState> {
  const waitUntil = sdkWaitUntil(service, waiterName);
  if (typeof waitUntil !== 'function') throw new Error(`the SDK has no waiter ${service}:${waiterName}`);
  try {
    await (waitUntil as WaitUntil)(
      { client, maxWaitTime: 3_600, minDelay: 1, maxDelay: 1, abortSignal: afterFirstAttempt },
      input,
    );
    return 'SUCCESS';
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') return 'RETRY';
    if (error instanceof Error && resultState(error.message) === 'FAILURE') return 'FAILURE';
    throw error;
  }
}

function resultState(message: string): string | undefined {
  try {
    const result = JSON.parse(message) as { state?: unknown };
    return typeof result.state === 'string' ? result.state : undefined;
  } catch {
    return undefined;
  }
}
