import type * as Ec2Sdk from '@aws-sdk/client-ec2';
import type * as ElbSdk from '@aws-sdk/client-elastic-load-balancing';
import type { WaiterEvent, WaiterOptions } from '@aws-trpc/shared';
import {
  type Catalog,
  catalog,
  InputValidationError,
  inputValidator,
  type ServiceName,
  type WaiterEntry,
} from '@aws-trpc/shared';
import { sdkWaiterMinDelaySeconds } from '@aws-trpc/shared/sdk';
import { requireCredentials } from '../core/credentials';
import { guardDeps } from '../guard/guard-deps';
import { gatewayProcedure } from '../guard/procedure';
import { rateLimitedSender } from '../security/rate-limited-sender';
import { streamsOf } from '../source/registry';
import { runWaiter, waiterDefaults } from './run-waiter';
import type { SendOnly } from './sdk-waiter';

/** The SDK's `waitUntilX` for a waiter name; its signature carries the operation's input and output types. */
type WaitFn<Sdk, Name extends string> = Sdk[`waitUntil${Name}` & keyof Sdk];
type WaiterInputOf<F> = F extends (params: any, input: infer I) => any ? I : never;
type WaiterOutputOf<F> = F extends (...args: any[]) => Promise<{ final?: infer O }> ? O : never;

export type WaiterInput<I> = I & WaiterOptions;

const optionKeys = ['maxWaitSeconds', 'minDelaySeconds', 'maxDelaySeconds'] as const;

/**
 * DescribeInstances and DescribeInstanceStatus waiters read the shared instance-state source: their
 * attempts follow the source's reads, not a timer of their own.
 */
function readsSharedSource(service: ServiceName, waiter: WaiterEntry): boolean {
  return (
    service === 'ec2' &&
    (waiter.operation === 'DescribeInstances' || waiter.operation === 'DescribeInstanceStatus')
  );
}

/**
 * The smallest delay a waiter may be given, in seconds: AWS's own for that waiter (the SDK's `minDelay`:
 * 15 for most, 5 for InstanceExists) and 1 s at least. A waiter on the shared source polls nothing on
 * its own delay, so only the 1 s floor applies to it.
 */
export async function minimumDelaySeconds(service: ServiceName, waiter: WaiterEntry): Promise<number> {
  if (readsSharedSource(service, waiter)) return 1;
  return Math.max(1, await sdkWaiterMinDelaySeconds(service, waiter.name));
}

/**
 * Validates the waiter's options strictly here and the operation input with the validator derived from
 * the SDK schema (which refuses unknown keys and `__proto__`/`constructor`/`prototype`). A non-object
 * input is refused before anything is read from it.
 */
function waiterInputParser<I>(service: ServiceName, waiter: WaiterEntry) {
  const operation = waiter.operation;
  const validate = async (raw: unknown): Promise<WaiterInput<I>> => {
    const given = raw ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) {
      const got = Array.isArray(given) ? 'array' : typeof given;
      throw new InputValidationError(operation, [
        { path: [], message: `Expected an object as the waiter input, got ${got}`, expected: 'object' },
      ]);
    }
    const options: WaiterOptions = {};
    // No prototype: an own `__proto__` key stays a key (and the validator refuses it), never a prototype.
    const rest: Record<string, unknown> = Object.create(null);
    const issues: { path: string[]; message: string; expected: string }[] = [];
    for (const [key, value] of Object.entries(given)) {
      if (!(optionKeys as readonly string[]).includes(key)) {
        rest[key] = value;
        continue;
      }
      if (value === undefined) continue;
      const limit = waiterDefaults.maxWaitSecondsLimit;
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > limit) {
        issues.push({ path: [key], message: `${key} must be a number in (0, ${limit}]`, expected: 'number' });
      } else options[key as (typeof optionKeys)[number]] = value;
    }
    const minimum = await minimumDelaySeconds(service, waiter);
    for (const key of ['minDelaySeconds', 'maxDelaySeconds'] as const) {
      const value = options[key];
      if (value !== undefined && value < minimum) {
        issues.push({
          path: [key],
          message: `${key} must be at least ${minimum} for waiter ${waiter.name} (AWS's minimum delay between its attempts), got ${value}`,
          expected: `number >= ${minimum}`,
        });
      }
    }
    if ((options.minDelaySeconds ?? 0) > (options.maxDelaySeconds ?? Number.POSITIVE_INFINITY)) {
      issues.push({
        path: ['minDelaySeconds'],
        message: 'minDelaySeconds must not exceed maxDelaySeconds',
        expected: 'number',
      });
    }
    if (issues.length) throw new InputValidationError(operation, issues);
    const input = inputValidator(service, operation).parse(rest) as I;
    // Without a minDelaySeconds, the wait starts at the larger of the gateway's default and the minimum.
    options.minDelaySeconds ??= Math.max(waiterDefaults.minDelaySeconds, minimum);
    return { ...input, ...options };
  };
  return validate;
}

function waiterProcedure<I, O>(service: ServiceName, waiter: WaiterEntry) {
  return gatewayProcedure
    .meta({ service, operation: waiter.operation, kind: 'subscription' })
    .input(waiterInputParser<I>(service, waiter))
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<WaiterEvent<O>, void, unknown> {
      const { maxWaitSeconds, minDelaySeconds, maxDelaySeconds, ...operationInput } = input;
      await requireCredentials(ctx.deps.aws, service, ctx.region, waiter.operation);
      const registry = streamsOf(ctx.deps);
      const { security, observability } = guardDeps(ctx.deps);
      // Every attempt that reaches AWS takes one request from the token's rate limit, and waits for it
      // when it is spent. Reads the shared source answers (sourceReader) never get here.
      const upstream = rateLimitedSender(
        (service === 'ec2' ? ctx.deps.aws.ec2(ctx.region) : ctx.deps.aws.elb(ctx.region)) as SendOnly,
        {
          limiter: security.rateLimiter,
          principal: ctx.principal,
          scheduler: registry.scheduler,
          onWait: () => observability.metrics.throttled('waiter-rate'),
        },
      );
      // DescribeInstances waiters (InstanceExists/Running/Stopped/Terminated) and DescribeInstanceStatus
      // waiters (InstanceStatusOk, SystemStatusOk) read the shared state source; the latter need its statuses.
      const needs = waiter.operation === 'DescribeInstanceStatus' ? 'status' : undefined;
      const source = readsSharedSource(service, waiter)
        ? await registry.instanceStates(ctx.region, ctx.deps.aws.ec2(ctx.region))
        : undefined;
      yield* runWaiter<O>({
        service,
        waiter: waiter.name,
        input: operationInput,
        client: upstream,
        scheduler: registry.scheduler,
        signal: signal ?? new AbortController().signal,
        ...(source ? { source } : {}),
        ...(source && needs ? { needs } : {}),
        ...(maxWaitSeconds !== undefined ? { maxWaitSeconds } : {}),
        ...(minDelaySeconds !== undefined ? { minDelaySeconds } : {}),
        ...(maxDelaySeconds !== undefined ? { maxDelaySeconds } : {}),
      });
    });
}

type WaiterProcedure<I, O> = ReturnType<typeof waiterProcedure<I, O>>;

type WaiterProcedures<Sdk, Waiters extends { name: string }> = {
  [W in Waiters as `waitUntil${W['name']}`]: WaiterProcedure<
    WaiterInputOf<WaitFn<Sdk, W['name']>>,
    WaiterOutputOf<WaitFn<Sdk, W['name']>>
  >;
};

export type Ec2WaiterProcedures = WaiterProcedures<typeof Ec2Sdk, Catalog['ec2']['waiters'][number]>;
export type ElbWaiterProcedures = WaiterProcedures<typeof ElbSdk, Catalog['elb']['waiters'][number]>;

/** One subscription per SDK waiter, from the catalog's waiter list (the only list). */
function buildWaiterProcedures(service: ServiceName): Record<string, WaiterProcedure<unknown, unknown>> {
  const out: Record<string, WaiterProcedure<unknown, unknown>> = {};
  for (const waiter of catalog[service].waiters)
    out[`waitUntil${waiter.name}`] = waiterProcedure(service, waiter);
  return out;
}

export const ec2WaiterProcedures = buildWaiterProcedures('ec2') as unknown as Ec2WaiterProcedures;
export const elbWaiterProcedures = buildWaiterProcedures('elb') as unknown as ElbWaiterProcedures;
