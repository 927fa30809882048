import type { Region } from '../../core/types';

/**
 * What Classic ELB needs to know of an EC2 subnet or security group. EC2 owns that state and (today)
 * exposes only instances to other services (services/ec2/view.ts), so these lookups check the ID's
 * shape and leave zone, VPC and group name unknown. When EC2 exposes subnet and security-group views,
 * these two functions are the only place to switch over.
 */
export interface SubnetRef {
  subnetId: string;
  availabilityZone?: string;
  vpcId?: string;
}

export interface SecurityGroupRef {
  groupId: string;
  groupName?: string;
  vpcId?: string;
}

// EC2 IDs are a prefix and 8 or 17 hex digits.
const subnetId = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const groupId = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function findSubnet(_region: Region, id: string): SubnetRef | undefined {
  return subnetId.test(id) ? { subnetId: id } : undefined;
}

export function findSecurityGroup(_region: Region, id: string): SecurityGroupRef | undefined {
  return groupId.test(id) ? { groupId: id } : undefined;
}
