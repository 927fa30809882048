import type { InstanceView, Region } from '../../core/types';
import { findInstanceRecord } from './instance-state';

/**
 * The read-only view of an instance that other services use (Classic ELB health and registration).
 * Owned by the EC2 instances family: it reads that family's state and derives the state as of `now`.
 * While a reboot is in progress `stateSince` is the moment the instance is back, which lies in the
 * future: health checks count from then.
 */
export function findInstanceView(region: Region, instanceId: string, now: number): InstanceView | undefined {
  const rec = findInstanceRecord(region, instanceId, now);
  if (!rec) return undefined;
  const rebooting = rec.state === 'running' && rec.rebootUntil !== undefined && now < rec.rebootUntil;
  return {
    instanceId: rec.id,
    state: rec.state,
    stateSince: rebooting ? rec.rebootUntil! : Math.max(rec.since, rec.rebootUntil ?? 0),
    availabilityZone: rec.zone,
    vpcId: rec.vpcId,
    subnetId: rec.subnetId,
  };
}
