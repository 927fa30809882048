import type { Ec2Ops, ElbOps } from '@aws-trpc/shared';
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import type { ProcedureMeta } from './meta';
import { operationProcedures } from './operations';
import { ec2StreamProcedures, elbStreamProcedures } from './streams';
import { t } from './trpc';
import { gatewayProcedures } from './whoami';

type RootTypes = (typeof t)['_config']['$types'];

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

/**
 * The gateway's router type, declared rather than inferred: TypeScript would otherwise have to infer
 * 850 procedure types from a runtime loop. Mapped over the shared type maps (catalog keys, SDK types).
 * The subscriptions and waiters of src/streams/ sit beside the operations, typed by inference (a few
 * dozen procedures).
 */
export type AppRouter = TRPCBuiltRouter<
  RootTypes,
  {
    ec2: OperationRecord<Ec2Ops> & typeof ec2StreamProcedures;
    elb: OperationRecord<ElbOps> & typeof elbStreamProcedures;
    gateway: typeof gatewayProcedures;
  }
>;

/** `ec2.<procedure>` and `elb.<procedure>` for every catalog entry. Stateless: one per process. */
export const appRouter = t.router({
  ec2: { ...operationProcedures('ec2'), ...ec2StreamProcedures },
  elb: { ...operationProcedures('elb'), ...elbStreamProcedures },
  gateway: gatewayProcedures,
}) as unknown as AppRouter;
