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
import type { OperationKind } from './catalogTypes';

/** The SDK command class of an operation, e.g. `RunInstancesCommand`. */
type CommandClass<Sdk, Operation extends string> = Sdk[`${Operation}Command` & keyof Sdk];

type CommandInputOf<C> = C extends abstract new (...args: any) => CommandImpl<infer I, any, any, any, any> ? I : never;
type CommandOutputOf<C> = C extends abstract new (...args: any) => CommandImpl<any, infer O, any, any, any>
  ? O
  : never;

export interface OperationTypes<Input, Output, Kind extends OperationKind> {
  input: Input;
  output: Output;
  kind: Kind;
}

type OpsOf<Sdk, Entry extends { operation: string; procedure: string; kind: OperationKind }> = {
  [E in Entry as E['procedure']]: OperationTypes<
    CommandInputOf<CommandClass<Sdk, E['operation']>>,
    CommandOutputOf<CommandClass<Sdk, E['operation']>>,
    E['kind']
  >;
};

/** `Ec2Ops['runInstances']` is `{ input: RunInstancesCommandInput; output: RunInstancesCommandOutput; kind: 'mutation' }`. */
export type Ec2Ops = OpsOf<typeof Ec2Sdk, Ec2OperationEntry>;
/** `ElbOps['describeLoadBalancers']` is `{ input: DescribeLoadBalancersCommandInput; output: …; kind: 'query' }`. */
export type ElbOps = OpsOf<typeof ElbSdk, ElbOperationEntry>;

export interface ServiceOps {
  ec2: Ec2Ops;
  elb: ElbOps;
}
