/**
 * Operation types mapped onto the SDK's own command types, keyed by procedure name. The keys come from the
 * catalog and the types from the SDK's `XCommand` classes, so there is no second list of operations.
 *
 * `output` is exactly the SDK's `XCommandOutput`, `$metadata` included (httpStatusCode, requestId): the
 * gateway returns what `client.send()` resolved to, so a caller sees the same value as with the raw SDK.
 */
import type * as Ec2Sdk from '@aws-sdk/client-ec2';
import type * as ElbSdk from '@aws-sdk/client-elastic-load-balancing';
import type { Ec2OperationEntry, ElbOperationEntry } from './catalog';
import type { OperationKind } from './catalogTypes';

/**
 * The SDK command class of an operation, e.g. `RunInstancesCommand`: matched against a one-member object
 * type, so tsc never builds `keyof` of the module's ~5,000 exports (indexing with `& keyof Sdk` cost a
 * minute; `extends infer K extends keyof Sdk` cost ~5,000 extra types per consumer).
 */
type CommandClass<Sdk, Operation extends string> = Sdk extends {
  readonly [K in `${Operation}Command`]: infer C;
}
  ? C
  : never;

/**
 * A command's input and output, read off its instance (`CommandImpl`): `input`, and the `output` its
 * handler resolves to. Reading two members is ~4x cheaper for tsc than inferring CommandImpl's type
 * parameters, which walks the whole middleware stack type, 823 times. `extends object` keeps them objects
 * where a caller indexes with a generic procedure name (`Ec2Ops[P]['input']`).
 */
type CommandInstance<C> = C extends abstract new (...args: any) => infer R ? R : never;
type InputOf<R> = R extends { readonly input: infer I extends object } ? I : never;
type OutputOf<R> = R extends {
  resolveMiddleware(...args: any): (...args: any) => Promise<{ output: infer O extends object }>;
}
  ? O
  : never;

/**
 * The shape of one entry of `Ec2Ops`/`ElbOps`. Index an entry (`Ec2Ops[P]['input']`) rather than match it
 * with `infer`: indexing is ~3x cheaper for tsc.
 */
export interface OperationTypes<
  Input = unknown,
  Output = unknown,
  Kind extends OperationKind = OperationKind,
> {
  input: Input;
  output: Output;
  kind: Kind;
}

/** The catalog's read-only procedures, computed once per service. */
type QueryProcedureOf<Entry> = Entry & { kind: 'query' } extends { procedure: infer P } ? P : never;

/**
 * Keyed by the catalog's procedure names; the operation name is the procedure capitalized (the SDK's
 * method naming). A plain mapped type over the name union, not `[E in Entry as E['procedure']]`: a key
 * remapping made every consumer instantiate ~3 types per operation (~2,500) before its first call, and a
 * mapped type over it as many again. Here, only the operations a consumer touches are ever resolved.
 * The entry is an inline object type on purpose: a generic interface tripled tsc's check time.
 */
type OpsOf<
  Sdk,
  Entry extends { procedure: string; kind: OperationKind },
  Query = QueryProcedureOf<Entry>,
> = {
  [P in Entry['procedure']]: {
    input: InputOf<CommandInstance<CommandClass<Sdk, Capitalize<P>>>>;
    output: OutputOf<CommandInstance<CommandClass<Sdk, Capitalize<P>>>>;
    kind: P extends Query ? 'query' : 'mutation';
  };
};

/** `Ec2Ops['runInstances']` is `{ input: RunInstancesCommandInput; output: RunInstancesCommandOutput; kind: 'mutation' }`. */
export type Ec2Ops = OpsOf<typeof Ec2Sdk, Ec2OperationEntry>;
/** `ElbOps['describeLoadBalancers']` is `{ input: DescribeLoadBalancersCommandInput; output: …; kind: 'query' }`. */
export type ElbOps = OpsOf<typeof ElbSdk, ElbOperationEntry>;

export interface ServiceOps {
  ec2: Ec2Ops;
  elb: ElbOps;
}
