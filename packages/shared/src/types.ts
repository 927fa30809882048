/**
 * Operation types mapped onto the SDK's own command types, keyed by procedure name. The keys come from the
 * catalog and the types from the SDK's `XCommand` classes, so there is no second list of operations.
 *
 * `output` is exactly the SDK's `XCommandOutput`, `$metadata` included (httpStatusCode, requestId): the
 * gateway returns what `client.send()` resolved to, so a caller sees the same value as with the raw SDK.
 */
import type * as Ec2Sdk from '@aws-sdk/client-ec2';
import type * as ElbSdk from '@aws-sdk/client-elastic-load-balancing';
import type { CommandImpl } from '@smithy/core/client';
import type { Ec2OperationEntry, ElbOperationEntry } from './catalog';
import type { Ec2QueryProcedure, ElbQueryProcedure } from './catalog.generated';
import type { OperationKind } from './catalog-types';

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
 * A command's SDK input and output, read off its constructor, which builds a
 * `CommandImpl<XCommandInput, XCommandOutput, ...>`, and tsc infers both from the type arguments of that
 * one generic reference, without instantiating the middleware stack (which inferring from
 * `resolveMiddleware` did, ~5x the cost). The class's static `__types` would be as cheap, but it is
 * protected: reading it needs a `@ts-expect-error`, which declaration files drop, so the published
 * client's types failed without `skipLibCheck` (TS2536).
 * `extends object` keeps them objects where a caller indexes with a generic name (`Ec2Ops[P]['input']`).
 */
type SdkTypesOf<C> = C extends new (
  ...args: never[]
) => CommandImpl<infer I extends object, infer O extends object, any, any, any>
  ? { input: I; output: O }
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

/**
 * Keyed by the catalog's procedure names; the operation name is the procedure capitalized (the SDK's
 * method naming). A plain mapped type over the name union, not `[E in Entry as E['procedure']]`: the key
 * remapping made every consumer instantiate ~3 types per operation (~2,500) before its first call, and a
 * mapped type over it as many again. Here, only the operations a consumer touches are ever resolved.
 * The entry is an inline object type on purpose: a generic interface tripled tsc's check time.
 */
type OpsOf<Sdk, Procedure extends string, Query extends string> = {
  [P in Procedure]: {
    input: SdkTypesOf<CommandClass<Sdk, Capitalize<P>>>['input'];
    output: SdkTypesOf<CommandClass<Sdk, Capitalize<P>>>['output'];
    // The codegen's union of query procedures: reading the kind back from the catalog's entries made
    // every consumer walk all ~850 of them (~1,700 instantiations).
    kind: P extends Query ? 'query' : 'mutation';
  };
};

/** `Ec2Ops['runInstances']` is `{ input: RunInstancesCommandInput; output: RunInstancesCommandOutput; kind: 'mutation' }`. */
export type Ec2Ops = OpsOf<typeof Ec2Sdk, Ec2OperationEntry['procedure'], Ec2QueryProcedure>;
/** `ElbOps['describeLoadBalancers']` is `{ input: DescribeLoadBalancersCommandInput; output: …; kind: 'query' }`. */
export type ElbOps = OpsOf<typeof ElbSdk, ElbOperationEntry['procedure'], ElbQueryProcedure>;

export interface ServiceOps {
  ec2: Ec2Ops;
  elb: ElbOps;
}
