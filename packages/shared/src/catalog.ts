import {
  ec2Errors,
  ec2Operations,
  ec2Sdk,
  ec2Waiters,
  elbErrors,
  elbOperations,
  elbSdk,
  elbWaiters,
} from './catalog.generated';
import type { OperationEntry, ServiceCatalog, ServiceName } from './catalog-types';

/** The only list of operations in the project: every EC2 and Classic ELB command of the installed SDKs. */
export const catalog = {
  ec2: { service: 'ec2', sdk: ec2Sdk, operations: ec2Operations, waiters: ec2Waiters, errors: ec2Errors },
  elb: { service: 'elb', sdk: elbSdk, operations: elbOperations, waiters: elbWaiters, errors: elbErrors },
} as const satisfies Record<ServiceName, ServiceCatalog>;

export type Catalog = typeof catalog;
export type Ec2OperationEntry = (typeof ec2Operations)[number];
export type ElbOperationEntry = (typeof elbOperations)[number];
export type OperationName<S extends ServiceName> = Catalog[S]['operations'][number]['operation'];
export type ProcedureName<S extends ServiceName> = Catalog[S]['operations'][number]['procedure'];

const indexes = new Map<ServiceName, Map<string, OperationEntry>>();

/** Finds an entry by operation name ('RunInstances') or procedure name ('runInstances'). */
export function findOperation(service: ServiceName, name: string): OperationEntry | undefined {
  let index = indexes.get(service);
  if (!index) {
    index = new Map();
    for (const entry of catalog[service].operations as readonly OperationEntry[]) {
      index.set(entry.operation, entry);
      index.set(entry.procedure, entry);
    }
    indexes.set(service, index);
  }
  return index.get(name);
}
