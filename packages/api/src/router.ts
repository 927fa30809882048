import type { Ec2Ops, ElbOps, OperationTypes } from '@aws-trpc/shared';
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import type { ProcedureMeta } from './meta';
import { operationProcedures } from './operations';
import { ec2StreamProcedures, elbStreamProcedures } from './streams';
import { t } from './trpc';

type RootTypes = (typeof t)['_config']['$types'];

/** The declared type of one operation's procedure: exactly the SDK's XCommandInput / XCommandOutput. */
type OperationProcedure<Op> =
  Op extends OperationTypes<infer Input, infer Output, infer Kind>
    ? Kind extends 'query'
      ? TRPCQueryProcedure<{
          meta: ProcedureMeta;
          input: Input;
          output: Output;
          errorShape: RootTypes['errorShape'];
        }>
      : TRPCMutationProcedure<{
          meta: ProcedureMeta;
          input: Input;
          output: Output;
          errorShape: RootTypes['errorShape'];
        }>
    : never;

type OperationRecord<Ops> = { [P in keyof Ops]: OperationProcedure<Ops[P]> };

// ─── Extension point: subscriptions and waiters (src/streams/) ────────────────────────────────────
// Their procedure records are merged into the ec2/elb routers beside the operations and typed by
// inference (a few dozen procedures, unlike the 850 operations).
const ec2Extras = ec2StreamProcedures;
const elbExtras = elbStreamProcedures;
// ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The gateway's router type, declared rather than inferred: TypeScript would otherwise have to infer
 * 850 procedure types from a runtime loop. Mapped over the shared type maps (catalog keys, SDK types).
 */
export type AppRouter = TRPCBuiltRouter<
  RootTypes,
  {
    ec2: OperationRecord<Ec2Ops> & typeof ec2Extras;
    elb: OperationRecord<ElbOps> & typeof elbExtras;
  }
>;

/** `ec2.<procedure>` and `elb.<procedure>` for every catalog entry. Stateless: one per process. */
export const appRouter = t.router({
  ec2: { ...operationProcedures('ec2'), ...ec2Extras },
  elb: { ...operationProcedures('elb'), ...elbExtras },
}) as unknown as AppRouter;
