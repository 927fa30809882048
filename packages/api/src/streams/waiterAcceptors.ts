import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import type { ServiceName } from '@aws-trpc/shared';

/** What one evaluation of a waiter's acceptors decided. */
export type AcceptorState = 'SUCCESS' | 'FAILURE' | 'RETRY';

/** The part of an SDK client a waiter's acceptors use: `send`. */
export interface SendOnly {
  send(
    command: { input: unknown; constructor: { name: string } },
    options?: { abortSignal?: AbortSignal },
  ): Promise<any>;
}

type SdkWaiterFn = (
  params: { client: unknown; maxWaitTime: number; minDelay: number; maxDelay: number; abortSignal: unknown },
  input: unknown,
) => Promise<{ state: string; reason?: unknown }>;

/**
 * The SDK's own acceptors for a waiter (`waitForX`, the variant that returns instead of throwing), run for
 * exactly one attempt. The SDK's polling loop sleeps on real timers; we keep its acceptors and drive the
 * schedule ourselves (virtual clock in tests, fail-fast rules, reads from the shared state source).
 *
 * One attempt: `runPolling` evaluates the acceptors once before its first delay, then checks
 * `abortSignal.aborted`. A signal that is already aborted but has no `addEventListener` (so `createWaiter`
 * does not race it) makes it return ABORTED right after a RETRY, without sleeping. Source:
 * @smithy/core/src/submodules/client/util-waiter/poller.ts.
 */
export async function evaluateAcceptorsOnce(
  service: ServiceName,
  waiterName: string,
  client: SendOnly,
  input: unknown,
): Promise<AcceptorState> {
  const fn = sdkWaiter(service, waiterName);
  const stopAfterFirstAttempt = { aborted: true };
  const result = await fn(
    { client, maxWaitTime: 3_600, minDelay: 1, maxDelay: 1, abortSignal: stopAfterFirstAttempt },
    input,
  );
  if (result.state === 'SUCCESS' || result.state === 'FAILURE') return result.state;
  return 'RETRY';
}

export function hasSdkWaiter(service: ServiceName, waiterName: string): boolean {
  return typeof lookup(service, waiterName) === 'function';
}

function lookup(service: ServiceName, waiterName: string): unknown {
  const sdk: Record<string, unknown> = service === 'ec2' ? ec2Sdk : elbSdk;
  return sdk[`waitFor${waiterName}`];
}

function sdkWaiter(service: ServiceName, waiterName: string): SdkWaiterFn {
  const fn = lookup(service, waiterName);
  if (typeof fn !== 'function') throw new Error(`The SDK has no waiter ${service}:${waiterName}`);
  return fn as SdkWaiterFn;
}
