import { findOperation, type ServiceName } from '@aws-trpc/shared';
import { type Operation, retryLink, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { isTransportFailure } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Delay before attempt n+1. Default 100 ms × 2^(n-1), at most 2 s. */
  retryDelayMs?: (attempt: number) => number;
}

/**
 * The idempotency-token member of a mutation (e.g. RunInstances' ClientToken), read from the catalog.
 * The SDK fills such members once per `send()`, so only its own retries reuse them; a retry from this
 * client to the gateway would be a new request with a new token unless the client fills it first.
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
export function idempotencyTokenMember(path: string): string | undefined {
  const [service, procedure] = path.split('.');
  if ((service !== 'ec2' && service !== 'elb') || !procedure) return undefined;
  return findOperation(service satisfies ServiceName, procedure)?.idempotencyToken;
}

function withToken(op: Operation): Operation {
  if (op.type !== 'mutation') return op;
  const member = idempotencyTokenMember(op.path);
  const input = op.input;
  if (!member || typeof input !== 'object' || input === null) return op;
  if ((input as Record<string, unknown>)[member] !== undefined) return op;
  return { ...op, input: { ...input, [member]: globalThis.crypto.randomUUID() } };
}

/** Fills a missing idempotency token once, before any retry, so every attempt carries the same one. */
export function idempotencyLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      next(withToken(op));
}

/**
 * Which failures the client retries. A request that got no answer may have run; repeating it is safe
 * for a query or a mutation that carries an idempotency token, never for other mutations. The gateway's
 * own rate limit (TOO_MANY_REQUESTS) rejected the call before it ran, so that is always safe.
 * AWS errors are not retried here: the gateway's SDK already retried them.
 */
export function isSafeToRetry(op: Operation, error: unknown): boolean {
  if (op.type === 'subscription') return false;
  const data = (error as { data?: { code?: unknown; aws?: unknown } } | null)?.data;
  // Only the gateway's own rate limit: AWS throttling (also TOO_MANY_REQUESTS) carries data.aws.
  if (data?.code === 'TOO_MANY_REQUESTS' && !data.aws) return true;
  if (!isTransportFailure(error)) return false;
  if (op.type === 'query') return true;
  const member = idempotencyTokenMember(op.path);
  return member !== undefined && (op.input as Record<string, unknown> | null)?.[member] !== undefined;
}

/**
 * The links to put before the terminal link: `[...idempotencyLinks(), httpBatchLink(...)]`. The token
 * link runs first so the retry link repeats an operation that already has its token.
 */
export function idempotencyLinks<TRouter extends AnyRouter>(opts: RetryOptions = {}): TRPCLink<TRouter>[] {
  const maxAttempts = opts.maxAttempts ?? 3;
  const retryDelayMs = opts.retryDelayMs ?? ((attempt: number) => Math.min(2000, 100 * 2 ** (attempt - 1)));
  return [
    idempotencyLink<TRouter>(),
    retryLink<TRouter>({
      retry: ({ op, error, attempts }) => attempts < maxAttempts && isSafeToRetry(op, error),
      retryDelayMs,
    }),
  ];
}
