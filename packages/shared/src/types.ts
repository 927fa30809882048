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
 * The SDK command class of an operation, e.g. `RunInstancesCommand`. A conditional, not
 * `Sdk[\`${Op}Command\` & keyof Sdk]`: intersecting with the module's ~5,000 keys, 823 times, costs tsc a minute.
 */
type CommandClass<Sdk, Operation extends string> = `${Operation}Command` extends infer K extends keyof Sdk
  ? Sdk[K]
  : never;

/**
 * A command's input and output, read off its instance (`CommandImpl`): `input`, and the `output` its
 * handler resolves to. Reading two members is ~4x cheaper for tsc than inferring CommandImpl's type
 * parameters, which walks the whole middleware stack type, 823 times.
 */
type CommandInstance<C> = C extends abstract new (...args: any) => infer R ? R : never;
type InputOf<R> = R extends { readonly input: infer I } ? I : never;
type OutputOf<R> = R extends {
  resolveMiddleware(...args: any): (...args: any) => Promise<{ output: infer O }>;
}
  ? O
  : never;

/** The shape of one entry of `Ec2Ops`/`ElbOps`, for matching (`Op extends OperationTypes<infer I, infer O, infer K>`). */
export interface OperationTypes<
  Input = unknown,
  Output = unknown,
  Kind extends OperationKind = OperationKind,
> {
  input: Input;
  output: Output;
  kind: Kind;
}

// The per-operation entry below is an inline object type on purpose: a generic interface here tripled tsc's
// check time over 823 operations (measured with --extendedDiagnostics).
type OpsOf<Sdk, Entry extends { operation: string; procedure: string; kind: OperationKind }> = {
  [E in Entry as E['procedure']]: {
    input: InputOf<CommandInstance<CommandClass<Sdk, E['operation']>>>;
    output: OutputOf<CommandInstance<CommandClass<Sdk, E['operation']>>>;
    kind: E['kind'];
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
