import { findOperation } from '@aws-trpc/shared';
import { getUntypedClient, type TRPCUntypedClient } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import type {
  Ec2Input,
  Ec2Output,
  Ec2Procedure,
  ElbInput,
  ElbOutput,
  ElbProcedure,
  Service,
} from './service-types';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SubscriptionObserver {
  onData(value: unknown): void;
  onError(err: unknown): void;
  onComplete(): void;
}

/**
 * What resources need from a gateway: call a procedure by name, or subscribe to one. Kept this small so
 * resources stay apart from tRPC's proxy types (cheaper to type-check) and easy to reason about.
 */
export interface AwsTransport {
  ec2<P extends Ec2Procedure>(procedure: P, input: Ec2Input<P>, opts?: CallOptions): Promise<Ec2Output<P>>;
  elb<P extends ElbProcedure>(procedure: P, input: ElbInput<P>, opts?: CallOptions): Promise<ElbOutput<P>>;
  subscribe(
    service: Service,
    procedure: string,
    input: unknown,
    observer: SubscriptionObserver,
    opts?: CallOptions,
  ): { unsubscribe(): void };
}

/** Anything `createTRPCClient` returned (typed or not). */
type AnyTRPCClient = any;

/** Adapts a tRPC client to the transport; the catalog says whether a procedure is a query or a mutation. */
export function transportFromClient(client: AnyTRPCClient): AwsTransport {
  const untyped: TRPCUntypedClient<AnyRouter> = getUntypedClient(client);
  const call = (
    service: Service,
    procedure: string,
    input: unknown,
    opts?: CallOptions,
  ): Promise<unknown> => {
    const entry = findOperation(service, procedure);
    if (!entry) throw new TypeError(`Unknown ${service} procedure: ${procedure}`);
    const path = `${service}.${procedure}`;
    const requestOpts = opts?.signal ? { signal: opts.signal } : undefined;
    return entry.kind === 'query'
      ? untyped.query(path, input, requestOpts)
      : untyped.mutation(path, input, requestOpts);
  };
  return {
    ec2: (procedure, input, opts) => call('ec2', procedure, input, opts) as never,
    elb: (procedure, input, opts) => call('elb', procedure, input, opts) as never,
    subscribe(service, procedure, input, observer, opts) {
      return untyped.subscription(`${service}.${procedure}`, input, {
        onData: (value: unknown) => observer.onData(value),
        onError: (err: unknown) => observer.onError(err),
        onComplete: () => observer.onComplete(),
        ...(opts?.signal ? { signal: opts.signal } : {}),
      });
    },
  };
}
