import { hostname } from 'node:os';

/**
 * This process's name among replicas, when none is given (`--replica-id`): it names the replica in
 * Redis (leases, subscription slots) and in audit records, with or without Redis.
 */
export function defaultReplicaId(): string {
  return `${hostname()}:${process.pid}`;
}
