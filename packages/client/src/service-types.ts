import type { AppRouter } from '@aws-trpc/api';
import type { Catalog, Ec2Ops, ElbOps, OperationTypes } from '@aws-trpc/shared';
import type { Resolver, SubscriptionResolver } from '@trpc/client';
import type {
  AnyTRPCProcedure,
  inferProcedureInput,
  inferTransformedProcedureOutput,
  TRPCProcedureType,
} from '@trpc/server';

/**
 * Procedure names and their exact SDK `XCommandInput`/`XCommandOutput`, from the catalog's operation
 * types; the catalog is the only list of operations.
 */
export type Ec2Procedure = keyof Ec2Ops & string;
export type Ec2Input<P extends Ec2Procedure> = Ec2Ops[P]['input'];
export type Ec2Output<P extends Ec2Procedure> = Ec2Ops[P]['output'];

export type ElbProcedure = keyof ElbOps & string;
export type ElbInput<P extends ElbProcedure> = ElbOps[P]['input'];
export type ElbOutput<P extends ElbProcedure> = ElbOps[P]['output'];

/** The SDK's waiter names, e.g. `InstanceRunning` for `waitUntilInstanceRunning`. */
export type Ec2WaiterName = Catalog['ec2']['waiters'][number]['name'];
export type ElbWaiterName = Catalog['elb']['waiters'][number]['name'];

export type Service = 'ec2' | 'elb';

type RootTypes = AppRouter['_def']['_config']['$types'];
type ResolverDef<Input, Output> = {
  input: Input;
  output: Output;
  errorShape: RootTypes['errorShape'];
  transformer: RootTypes['transformer'];
};

/** What tRPC's client makes of a procedure of this type: `.query()`, `.mutate()` or `.subscribe()`. */
type Decorate<
  Type extends TRPCProcedureType,
  Def extends ResolverDef<unknown, unknown>,
> = Type extends 'query'
  ? { query: Resolver<Def> }
  : Type extends 'mutation'
    ? { mutate: Resolver<Def> }
    : { subscribe: SubscriptionResolver<Def> };

type DecorateOperation<Op extends OperationTypes> = Decorate<
  Op['kind'],
  ResolverDef<Op['input'], Op['output']>
>;

type DecorateProcedure<Value> = Value extends AnyTRPCProcedure
  ? Decorate<
      Value['_def']['type'],
      ResolverDef<inferProcedureInput<Value>, inferTransformedProcedureOutput<RootTypes, Value>>
    >
  : never;

/**
 * One service's procedures on the client, as tRPC's `TRPCClient<AppRouter>` types them, but mapped
 * lazily: an operation's types are read off the ops map only when a caller touches it. tRPC's own
 * `DecoratedProcedureRecord` first checks that the whole record is a `RouterRecord`, which resolves all
 * ~850 procedure types for every consumer (36,000 instantiations for 30 calls; the SDK needs 3,800).
 */
export type ServiceClient<Ops, Record> = {
  [P in keyof Record]: P extends keyof Ops
    ? Ops[P] extends OperationTypes
      ? DecorateOperation<Ops[P]>
      : never
    : DecorateProcedure<Record[P]>;
};

type AppRecord = AppRouter['_def']['record'];

/**
 * The typed client's `ec2` and `elb`: every catalog operation (exactly the SDK's input and output) and the
 * gateway's subscriptions (streams, waiters). At run time it is the tRPC client proxy.
 */
export interface GatewayServices {
  ec2: ServiceClient<Ec2Ops, AppRecord['ec2']>;
  elb: ServiceClient<ElbOps, AppRecord['elb']>;
  /** The gateway's own procedures (`whoami`). */
  gateway: ServiceClient<{}, AppRecord['gateway']>;
}
