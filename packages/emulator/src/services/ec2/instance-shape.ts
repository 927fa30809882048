import type { Instance, InstanceMetadataOptionsResponse, InstanceStateName } from '@aws-sdk/client-ec2';
import type { Region } from '../../core/types';
import type { FilterTable } from './filters';
import type { InstanceRecord } from './instance-state';
import { instanceTypeInfo } from './instance-types';
import {
  groupIdentifiers,
  instanceInterfaces,
  interfacesOf,
  type NetworkInterfaceRecord,
} from './network-interfaces';
import { privateDnsName, publicDnsName } from './network-state';
import { findGroup } from './security-groups';
import { volumesOf } from './volumes';

/** The instance as DescribeInstances writes it, and the instance filters of the EC2 API reference. */

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** A running or pending instance shows its public address; a stopped one keeps only an Elastic IP. */
export function publicIpOf(rec: InstanceRecord): string | undefined {
  if (rec.state === 'terminated' || rec.state === 'shutting-down') return undefined;
  return rec.elasticIp ?? (rec.state === 'pending' || rec.state === 'running' ? rec.publicIp : undefined);
}

const groupsOf = (region: Region, rec: InstanceRecord) => groupIdentifiers(region, rec.groupIds);

export function instanceShape(region: Region, rec: InstanceRecord, tags: Instance['Tags']): Instance {
  const gone = rec.state === 'terminated';
  const publicIp = publicIpOf(rec);
  const publicDns = publicIp ? publicDnsName(region.name, publicIp) : '';
  const type = instanceTypeInfo(rec.instanceType);
  const groups = gone ? [] : groupsOf(region, rec);
  const launch = new Date(rec.launchTime);
  return {
    AmiLaunchIndex: rec.launchIndex,
    ImageId: rec.imageId,
    InstanceId: rec.id,
    InstanceType: rec.instanceType as Instance['InstanceType'],
    KeyName: rec.keyName,
    LaunchTime: launch,
    Monitoring: { State: rec.monitoring ? 'enabled' : 'disabled' },
    Placement: {
      AvailabilityZone: rec.zone,
      GroupName: rec.placementGroup ?? '',
      Tenancy: rec.tenancy ?? 'default',
      HostId: rec.hostId,
      PartitionNumber: rec.partitionNumber,
    },
    InstanceLifecycle: rec.spotRequestId ? 'spot' : undefined,
    SpotInstanceRequestId: rec.spotRequestId,
    CapacityReservationId: rec.capacityReservationId,
    IamInstanceProfile: rec.iamProfile && { Arn: rec.iamProfile.arn, Id: rec.iamProfile.id },
    Platform: rec.platform as Instance['Platform'],
    PrivateDnsName: gone ? '' : privateDnsName(region.name, rec.privateIp),
    PrivateIpAddress: gone ? undefined : rec.privateIp,
    ProductCodes: [],
    PublicDnsName: publicDns,
    PublicIpAddress: publicIp,
    State: { Code: STATE_CODES[rec.state], Name: rec.state },
    StateTransitionReason: rec.transitionReason,
    SubnetId: gone ? undefined : rec.subnetId,
    VpcId: gone ? undefined : rec.vpcId,
    Architecture: rec.architecture as Instance['Architecture'],
    BlockDeviceMappings: gone
      ? []
      : volumesOf(region, rec.id).map((v) => ({
          DeviceName: v.attachment!.device,
          Ebs: {
            AttachTime: new Date(v.attachment!.attachTime),
            DeleteOnTermination: v.attachment!.deleteOnTermination,
            Status: 'attached',
            VolumeId: v.id,
          },
        })),
    ClientToken: rec.clientToken ?? '',
    EbsOptimized: rec.ebsOptimized,
    EnaSupport: true,
    Hypervisor: 'xen',
    NetworkInterfaces: gone ? [] : instanceInterfaces(region, rec),
    RootDeviceName: rec.rootDeviceName,
    RootDeviceType: 'ebs',
    SecurityGroups: groups,
    SourceDestCheck: rec.sourceDestCheck,
    StateReason: rec.stateReason,
    Tags: tags,
    VirtualizationType: 'hvm',
    CpuOptions: {
      CoreCount: type?.VCpuInfo?.DefaultCores ?? 1,
      ThreadsPerCore: type?.VCpuInfo?.DefaultThreadsPerCore ?? 1,
    },
    CapacityReservationSpecification: {
      CapacityReservationPreference: rec.capacityReservationPreference ?? 'open',
      CapacityReservationTarget: rec.capacityReservationId
        ? { CapacityReservationId: rec.capacityReservationId }
        : undefined,
    },
    HibernationOptions: { Configured: false },
    MetadataOptions: metadataOptionsOf(rec),
    EnclaveOptions: { Enabled: false },
    PlatformDetails: rec.platformDetails,
    UsageOperation: rec.platform ? 'RunInstances:0002' : 'RunInstances',
    UsageOperationUpdateTime: launch,
    PrivateDnsNameOptions: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    MaintenanceOptions: { AutoRecovery: rec.autoRecovery ?? 'default' },
    CurrentInstanceBootMode: 'legacy-bios',
  };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html (Filters). */
export function instanceFilters(region: Region): FilterTable<InstanceRecord> {
  const groupNames = (r: InstanceRecord) => groupsOf(region, r).map((g) => g.GroupName);
  const privateDns = (r: InstanceRecord) =>
    r.state === 'terminated' ? '' : privateDnsName(region.name, r.privateIp);
  const publicDns = (r: InstanceRecord) => {
    const ip = publicIpOf(r);
    return ip ? publicDnsName(region.name, ip) : '';
  };
  return {
    'instance-id': (r) => r.id,
    'instance-state-name': (r) => r.state,
    'instance-state-code': (r) => STATE_CODES[r.state],
    'instance-type': (r) => r.instanceType,
    'availability-zone': (r) => r.zone,
    'vpc-id': (r) => r.vpcId,
    'subnet-id': (r) => r.subnetId,
    'image-id': (r) => r.imageId,
    'key-name': (r) => r.keyName,
    'reservation-id': (r) => r.reservationId,
    'owner-id': () => region.accountId,
    'group-id': (r) => r.groupIds,
    'group-name': groupNames,
    'instance.group-id': (r) => r.groupIds,
    'instance.group-name': groupNames,
    ...interfaceFilters(region),
    'private-ip-address': (r) => (r.state === 'terminated' ? undefined : r.privateIp),
    'ip-address': publicIpOf,
    'private-dns-name': privateDns,
    'dns-name': publicDns,
    'launch-time': (r) => new Date(r.launchTime),
    'launch-index': (r) => r.launchIndex,
    'ami-launch-index': (r) => r.launchIndex,
    architecture: (r) => r.architecture,
    platform: (r) => r.platform,
    'platform-details': (r) => r.platformDetails,
    'root-device-name': (r) => r.rootDeviceName,
    'root-device-type': () => 'ebs',
    'block-device-mapping.device-name': (r) => volumesOf(region, r.id).map((v) => v.attachment?.device),
    'block-device-mapping.volume-id': (r) => volumesOf(region, r.id).map((v) => v.id),
    'block-device-mapping.status': (r) => volumesOf(region, r.id).map(() => 'attached'),
    'client-token': (r) => r.clientToken,
    'source-dest-check': (r) => r.sourceDestCheck,
    'ebs-optimized': (r) => r.ebsOptimized,
    hypervisor: () => 'xen',
    'virtualization-type': () => 'hvm',
    tenancy: (r) => r.tenancy ?? 'default',
    'placement-group-name': (r) => r.placementGroup ?? '',
    'placement-partition-number': (r) => r.partitionNumber,
    'host-id': (r) => r.hostId,
    'monitoring-state': (r) => (r.monitoring ? 'enabled' : 'disabled'),
    'instance-lifecycle': (r) => (r.spotRequestId ? 'spot' : undefined),
    'spot-instance-request-id': (r) => r.spotRequestId,
    'capacity-reservation-id': (r) => r.capacityReservationId,
    'iam-instance-profile.arn': (r) => r.iamProfile?.arn,
    'iam-instance-profile.id': (r) => r.iamProfile?.id,
    'metadata-options.http-put-response-hop-limit': (r) => metadataOptionsOf(r).HttpPutResponseHopLimit,
    'metadata-options.http-endpoint': (r) => metadataOptionsOf(r).HttpEndpoint,
    'metadata-options.instance-metadata-tags': (r) => metadataOptionsOf(r).InstanceMetadataTags,
    reason: (r) => r.transitionReason,
    'state-reason-code': (r) => r.stateReason?.Code,
    'state-reason-message': (r) => r.stateReason?.Message,
    'metadata-options.http-tokens': (r) => metadataOptionsOf(r).HttpTokens,
  };
}

/** DescribeInstances' `network-interface.*` filters read the instance's interfaces. */
function interfaceFilters(region: Region): FilterTable<InstanceRecord> {
  const each =
    <V>(f: (e: NetworkInterfaceRecord, r: InstanceRecord) => V | V[]) =>
    (r: InstanceRecord) =>
      interfacesOf(region, r.id).flatMap((e) => f(e, r)) as V[];
  const publicIp = (e: NetworkInterfaceRecord, r: InstanceRecord) =>
    e.attachment?.deviceIndex === 0 ? (publicIpOf(r) ?? []) : [];
  const groupName = (id: string) => {
    try {
      return findGroup(region, id).name;
    } catch {
      return [];
    }
  };
  return {
    'network-interface.network-interface-id': each((e) => e.id),
    'network-interface.addresses.private-ip-address': each((e) => e.privateIps),
    'network-interface.addresses.primary': each((e) => e.privateIps.map((_, i) => i === 0)),
    'network-interface.addresses.private-dns-name': each((e) =>
      e.privateIps.map((ip) => privateDnsName(region.name, ip)),
    ),
    'network-interface.addresses.association.public-ip': each(publicIp),
    'network-interface.association.public-ip': each(publicIp),
    'network-interface.association.public-dns-name': each((e, r) =>
      publicIp(e, r).length ? publicDnsName(region.name, publicIpOf(r)!) : [],
    ),
    'network-interface.association.ip-owner-id': each((e, r) =>
      publicIp(e, r).length ? (r.elasticIp ? region.accountId : 'amazon') : [],
    ),
    'network-interface.attachment.attachment-id': each((e) => e.attachment!.id),
    'network-interface.attachment.attach-time': each((e) => new Date(e.attachment!.attachTime)),
    'network-interface.attachment.delete-on-termination': each((e) => e.attachment!.deleteOnTermination),
    'network-interface.attachment.device-index': each((e) => e.attachment!.deviceIndex),
    'network-interface.attachment.instance-id': each((e) => e.attachment!.instanceId),
    'network-interface.attachment.instance-owner-id': each(() => region.accountId),
    'network-interface.attachment.network-card-index': each((e) => e.attachment!.networkCardIndex),
    'network-interface.attachment.status': each(() => 'attached'),
    'network-interface.availability-zone': each((e) => e.zone),
    'network-interface.description': each((e) => e.description),
    'network-interface.group-id': each((e) => e.groupIds),
    'network-interface.group-name': each((e) => e.groupIds.flatMap(groupName)),
    'network-interface.mac-address': each((e) => e.macAddress),
    'network-interface.owner-id': each(() => region.accountId),
    'network-interface.private-dns-name': each((e) => privateDnsName(region.name, e.privateIps[0]!)),
    'network-interface.private-ip-address': each((e) => e.privateIps),
    'network-interface.requester-managed': each(() => false),
    'network-interface.source-dest-check': each((e) => e.sourceDestCheck),
    'network-interface.status': each(() => 'in-use'),
    'network-interface.subnet-id': each((e) => e.subnetId),
    'network-interface.vpc-id': each((e) => e.vpcId),
  };
}

/** IMDS defaults of the emulator's AL2023-era images: IMDSv2 required, hop limit 2. */
export const DEFAULT_METADATA_OPTIONS: Readonly<InstanceMetadataOptionsResponse> = {
  State: 'applied',
  HttpTokens: 'required',
  HttpPutResponseHopLimit: 2,
  HttpEndpoint: 'enabled',
  HttpProtocolIpv6: 'disabled',
  InstanceMetadataTags: 'disabled',
};

/** IMDS options: what the launch or ModifyInstanceMetadataOptions set, else the defaults. */
export const metadataOptionsOf = (rec: InstanceRecord): InstanceMetadataOptionsResponse =>
  rec.metadataOptions ?? DEFAULT_METADATA_OPTIONS;
