import type { InstanceView, Region } from '../../core/types';

/**
 * The read-only view of an instance that other services use (Classic ELB health and registration).
 * Owned by the EC2 instances family: it reads that family's state and derives the state as of `now`.
 */
export function findInstanceView(_region: Region, _instanceId: string, _now: number): InstanceView | undefined {
  // Placeholder until the instances family lands; it replaces this body.
  return undefined;
}
