/**
 * How many items AWS accepts in a list member of a request. The SDK's schemas carry no length traits
 * (the generated clients drop them), so the limits AWS documents are listed here, each as the API
 * reference states it (the SDK's doc comment of that member carries the same sentence). Every other
 * list gets the default below, which the gateway lets an operator change.
 *
 * Keyed by operation, then by top-level input member.
 * EC2: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/ (each operation's Request Parameters)
 * ELB: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/
 */
import type { ServiceName } from './catalog-types';

/** Items per list member where AWS documents no limit: 1,000, EC2's usual "Maximum 1000 … IDs". */
export const defaultMaxListLength = 1_000;

export const documentedListLimits: Readonly<
  Record<ServiceName, Readonly<Record<string, Readonly<Record<string, number>>>>>
> = {
  ec2: {
    // "Constraints: Maximum 1000 explicitly specified instance IDs."
    DescribeInstances: { InstanceIds: 1_000 },
    DescribeInstanceCreditSpecifications: { InstanceIds: 1_000 },
    // "Constraints: Maximum 100 explicitly specified instance IDs."
    DescribeInstanceStatus: { InstanceIds: 100 },
    DescribeInstanceTopology: { InstanceIds: 100, GroupNames: 100 },
    // "Constraints: Up to 1000 instance IDs."
    TerminateInstances: { InstanceIds: 1_000 },
    // "Constraints: Up to 1000 resource IDs." / "Up to 1000 tags."
    CreateTags: { Resources: 1_000 },
    DeleteTags: { Resources: 1_000, Tags: 1_000 },
    // "Constraints: Maximum of 1000 flow log IDs."
    DescribeFlowLogs: { FlowLogIds: 1_000 },
    DeleteFlowLogs: { FlowLogIds: 1_000 },
    // "You can specify up to 100 IDs in a single request."
    CancelSpotFleetRequests: { SpotFleetRequestIds: 100 },
    // "up to 25 instant fleet IDs and up to 100 maintain or request fleet IDs": the larger bound.
    DeleteFleets: { FleetIds: 100 },
    // "You can specify up to 200 launch template version numbers."
    DeleteLaunchTemplateVersions: { Versions: 200 },
    // "Maximum 10 explicitly specified Capacity Reservation IDs."
    DescribeCapacityReservationTopology: { CapacityReservationIds: 10 },
    // "Up to 20 AMI IDs can be included in a request."
    DescribeStoreImageTasks: { ImageIds: 20 },
    ListImagesInRecycleBin: { ImageIds: 20 },
    // "Up to 5 security groups can be applied to an associated target network."
    ApplySecurityGroupsToClientVpnTargetNetwork: { SecurityGroupIds: 5 },
  },
  elb: {
    // "Array Members: Minimum number of 1 item. Maximum number of 20 items."
    DescribeTags: { LoadBalancerNames: 20 },
  },
};

/** The documented limit of a top-level list member, if AWS documents one. */
export function documentedListLimit(
  service: ServiceName,
  operation: string,
  member: string,
): number | undefined {
  const byMember = Object.hasOwn(documentedListLimits[service], operation)
    ? documentedListLimits[service][operation]
    : undefined;
  return byMember && Object.hasOwn(byMember, member) ? byMember[member] : undefined;
}
