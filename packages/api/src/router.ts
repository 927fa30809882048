import type { Ec2Ops, ElbOps } from '@aws-trpc/shared';
import type {
  AnyTRPCProcedure,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
} from '@trpc/server';
import type { GatewayErrorShape } from './core/errors';
import type { ProcedureMeta } from './core/meta';
import { t } from './core/trpc';
import { operationProcedures } from './procedures/operations';
import { gatewayProcedures } from './procedures/whoami';
import { onInstanceStateChange } from './subscriptions/on-instance-state-change';
import { ec2WaiterProcedures, elbWaiterProcedures } from './waiters/waiter-procedures';

/**
 * The router's root types as clients see them: `t`'s own, but with the context left opaque. The
 * context (SDK clients, logger, metrics, streams) is the server's business, and naming it here would
 * pull pino, prom-client and node:http into the published client's declarations.
 * `test/router-types.test-d.ts` holds the rest equal to `t`'s.
 */
export interface GatewayRootTypes {
  ctx: object;
  meta: ProcedureMeta;
  errorShape: GatewayErrorShape;
  transformer: true;
}
type RootTypes = GatewayRootTypes;

interface OperationShape {
  input: unknown;
  output: unknown;
  kind: 'query' | 'mutation';
}

type ProcedureDef<Op extends OperationShape> = {
  meta: ProcedureMeta;
  input: Op['input'];
  output: Op['output'];
  errorShape: RootTypes['errorShape'];
};

/** The declared type of one operation's procedure: exactly the SDK's XCommandInput / XCommandOutput. */
type OperationProcedure<Op extends OperationShape> = Op['kind'] extends 'query'
  ? TRPCQueryProcedure<ProcedureDef<Op>>
  : TRPCMutationProcedure<ProcedureDef<Op>>;

type OperationRecord<Ops extends Record<string, OperationShape>> = {
  [P in keyof Ops]: OperationProcedure<Ops[P]>;
};

/** The `ec2` subscriptions: the live instance-state stream and one subscription per SDK waiter. */
const ec2Subscriptions = { onInstanceStateChange, ...ec2WaiterProcedures };
/** The `elb` subscriptions: one per SDK waiter. */
const elbSubscriptions = { ...elbWaiterProcedures };

/**
 * The gateway's router type, declared rather than inferred: TypeScript would otherwise have to infer
 * 850 procedure types from a runtime loop. Mapped over the shared type maps (catalog keys, SDK types).
 * The subscriptions and waiters sit beside the operations, typed by inference (a few dozen procedures).
 */
export type AppRouter = TRPCBuiltRouter<
  RootTypes,
  {
    ec2: OperationRecord<Ec2Ops> & typeof ec2Subscriptions;
    elb: OperationRecord<ElbOps> & typeof elbSubscriptions;
    gateway: typeof gatewayProcedures;
  }
>;

/** `ec2.<procedure>` and `elb.<procedure>` for every catalog entry. Stateless: one per process. */
export const appRouter = t.router({
  ec2: { ...operationProcedures('ec2'), ...ec2Subscriptions },
  elb: { ...operationProcedures('elb'), ...elbSubscriptions },
  gateway: gatewayProcedures,
}) as unknown as AppRouter;

/**
 * Every subscription procedure by its path (`ec2.onInstanceStateChange`), for the HTTP layer's SSE
 * writer, which serves them without reading the router's internals.
 */
export const subscriptionProcedures: ReadonlyMap<string, AnyTRPCProcedure> = new Map([
  ...Object.entries(ec2Subscriptions).map(([name, p]) => [`ec2.${name}`, p as AnyTRPCProcedure] as const),
  ...Object.entries(elbSubscriptions).map(([name, p]) => [`elb.${name}`, p as AnyTRPCProcedure] as const),
]);
