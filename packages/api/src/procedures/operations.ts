import { catalog, inputValidator, type OperationEntry, type ServiceName } from '@aws-trpc/shared';
import { type CommandClass, commandClass } from '@aws-trpc/shared/sdk';
import { type AnyProcedure, TRPCError } from '@trpc/server';
import type { GatewayContext } from '../core/context';
import { toTrpcError } from '../core/errors';
import type { GuardedContext } from '../guard/call-guard';
import { guardDeps } from '../guard/guard-deps';
import { gatewayProcedure } from '../guard/procedure';
import { streamsOf } from '../source/registry';

/**
 * The input parser of an operation. The validator is built from the SDK's schema on the first call,
 * not at start-up (850 of them). Throws InputValidationError, which tRPC turns into BAD_REQUEST
 * before the resolver runs, so invalid input never reaches AWS.
 */
function lazyInput(service: ServiceName, operation: string) {
  return (raw: unknown): unknown => inputValidator(service, operation).parse(raw ?? {});
}

/**
 * Sends the operation with the SDK client of the call's region; SDK failures become TRPCErrors.
 * The upstream signal (guard/call-guard.ts) aborts the SDK call at the gateway's deadline or when
 * the caller goes away.
 */
function resolverFor(service: ServiceName, operation: string) {
  let Command: CommandClass | undefined;
  return async ({
    ctx,
    input,
    signal,
  }: {
    ctx: GatewayContext & Partial<GuardedContext>;
    input: unknown;
    signal?: AbortSignal;
  }) => {
    Command ??= commandClass(service, operation);
    // The two SDK clients' `send` overloads do not unify; both take any of their own commands.
    const client = ctx.deps.aws[service](ctx.region) as {
      send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
    };
    const abortSignal = ctx.upstreamSignal ?? signal;
    try {
      const output = await client.send(new Command(input), abortSignal ? { abortSignal } : undefined);
      // State-changing answers feed the live streams at once (source/write-through.ts). Never awaited:
      // the caller's answer does not wait on subscribers, and a failure there is not the call's.
      if (service === 'ec2') {
        streamsOf(ctx.deps)
          .writeThrough(ctx.region, ctx.deps.aws.ec2(ctx.region), { operation, input, output })
          .catch((error: unknown) =>
            guardDeps(ctx.deps).observability.logger.warn({ err: error, operation }, 'write-through failed'),
          );
      }
      return output;
    } catch (error) {
      // Aborted at the gateway's deadline: the reason already says so (GATEWAY_TIMEOUT).
      if (abortSignal?.aborted && abortSignal.reason instanceof TRPCError) throw abortSignal.reason;
      throw toTrpcError(error, {
        service,
        operation,
        region: ctx.region,
        endpoint: ctx.deps.aws.endpointOf(service, ctx.region),
      });
    }
  };
}

export function operationProcedure(service: ServiceName, entry: OperationEntry): AnyProcedure {
  const builder = gatewayProcedure
    .meta({ service, operation: entry.operation, kind: entry.kind })
    .input(lazyInput(service, entry.operation));
  const resolve = resolverFor(service, entry.operation);
  return entry.kind === 'query' ? builder.query(resolve) : builder.mutation(resolve);
}

/** One procedure per catalog entry of a service, keyed by procedure name (`runInstances`). */
export function operationProcedures(service: ServiceName): Record<string, AnyProcedure> {
  const procedures: Record<string, AnyProcedure> = {};
  for (const entry of catalog[service].operations as readonly OperationEntry[]) {
    procedures[entry.procedure] = operationProcedure(service, entry);
  }
  return procedures;
}
