import type { Catalog, Ec2Ops, ElbOps } from '@aws-trpc/shared';

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
