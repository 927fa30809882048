import { AwsError } from './core/errors';
import type { RequestContext } from './core/types';
import type { OperationSchema, ServiceProtocol } from './protocol/service-protocol';
import type { EmulatorState } from './server';

/** One AWS request, whatever its wire: the service, the action, and how to read its input. */
export interface Invocation {
  protocol: ServiceProtocol;
  action: string;
  regionName: string;
  requestId: string;
  endpoint?: string | undefined;
  signal?: AbortSignal | undefined;
  readInput(operation: OperationSchema): Record<string, unknown>;
}

/**
 * Runs a request through faults and its handler, the same for the query forms and AWS JSON: latency
 * first, then the action must exist in the SDK, then error faults, then the handler (or
 * UnsupportedOperation, a 4xx so SDKs do not retry it).
 */
export async function invoke(
  state: EmulatorState,
  inv: Invocation,
): Promise<{ operation: OperationSchema; output: unknown }> {
  const { protocol, action } = inv;
  const service = protocol.service;
  const latency = state.faults.latency(service, action);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  const operation = protocol.operation(action);
  if (!operation)
    throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
  const fault = state.faults.take(service, action);
  if (fault) throw fault;
  const handlers = state.handlers[service];
  const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
  if (!handler) {
    throw new AwsError(
      'UnsupportedOperation',
      `The aws-trpc emulator does not implement ${service}:${action}. GET /_emulator/coverage lists what it implements.`,
    );
  }
  const input = inv.readInput(operation);
  const ctx: RequestContext = {
    service,
    action,
    region: state.region(inv.regionName),
    requestId: inv.requestId,
    clock: state.clock,
    delays: state.delays,
    endpoint: inv.endpoint,
    signal: inv.signal,
    regionNamed: (name) => state.region(name),
  };
  return { operation, output: await handler(input, ctx) };
}
