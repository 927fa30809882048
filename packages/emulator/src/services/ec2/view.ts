import type { InstanceView, Region } from '../../core/types';
import { findInstanceRecord } from './instance-state';
import { network } from './network-state';
import { defaultGroupOf, findGroup } from './security-groups';
import { defaultSubnetFor, findSubnet } from './subnets';

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

/** What other services may read of a subnet: its zone and VPC (Classic ELB in a VPC). */
export interface SubnetView {
  subnetId: string;
  availabilityZone: string;
  vpcId: string;
}

/** What other services may read of a security group. */
export interface SecurityGroupView {
  groupId: string;
  groupName: string;
  vpcId: string;
}

const quietly = <T>(find: () => T): T | undefined => {
  try {
    return find();
  } catch {
    return undefined;
  }
};

export function findSubnetView(region: Region, subnetId: string): SubnetView | undefined {
  const s = quietly(() => findSubnet(region, subnetId));
  return s && { subnetId: s.id, availabilityZone: s.zone, vpcId: s.vpcId };
}

export function findSecurityGroupView(region: Region, groupId: string): SecurityGroupView | undefined {
  const g = quietly(() => findGroup(region, groupId));
  return g && { groupId: g.id, groupName: g.name, vpcId: g.vpcId };
}

/** The 'default' group of a VPC, which a load balancer in that VPC gets when given none. */
export function defaultSecurityGroupView(region: Region, vpcId: string): SecurityGroupView | undefined {
  const g = quietly(() => defaultGroupOf(region, vpcId));
  return g && { groupId: g.id, groupName: g.name, vpcId: g.vpcId };
}

/** The default VPC, where Classic load balancers created with AvailabilityZones live; undefined once deleted. */
export function defaultVpcIdView(region: Region): string | undefined {
  return network(region).defaultVpcId || undefined;
}

/** The default subnet of a zone in the default VPC (what a load balancer enabled in that zone uses). */
export function defaultSubnetView(region: Region, zone: string): SubnetView | undefined {
  const s = quietly(() => defaultSubnetFor(region, zone));
  return s && { subnetId: s.id, availabilityZone: s.zone, vpcId: s.vpcId };
}
