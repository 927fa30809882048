import { randomBytes } from 'node:crypto';
import type {
  AssignPrivateIpAddressesCommandInput,
  AssignPrivateIpAddressesCommandOutput,
  AttachNetworkInterfaceCommandInput,
  AttachNetworkInterfaceCommandOutput,
  CreateNetworkInterfaceCommandInput,
  CreateNetworkInterfaceCommandOutput,
  DeleteNetworkInterfaceCommandInput,
  DeleteNetworkInterfaceCommandOutput,
  DescribeNetworkInterfaceAttributeCommandInput,
  DescribeNetworkInterfaceAttributeCommandOutput,
  DescribeNetworkInterfacesCommandInput,
  DescribeNetworkInterfacesCommandOutput,
  DetachNetworkInterfaceCommandInput,
  DetachNetworkInterfaceCommandOutput,
  GroupIdentifier,
  InstanceNetworkInterface,
  InstanceNetworkInterfaceSpecification,
  ModifyNetworkInterfaceAttributeCommandInput,
  ModifyNetworkInterfaceAttributeCommandOutput,
  NetworkInterface,
  NetworkInterfaceType,
  PrivateIpAddressSpecification,
  ResetNetworkInterfaceAttributeCommandInput,
  ResetNetworkInterfaceAttributeCommandOutput,
  UnassignPrivateIpAddressesCommandInput,
  UnassignPrivateIpAddressesCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { blockSize, ipToInt } from './cidr';
import {
  attachmentLimitExceeded,
  attachmentNotFound,
  checkDryRun,
  idErrors,
  incorrectInstanceState,
  invalidParameterCombination,
  invalidParameterValue,
  ipAddressInUse,
  missingParameter,
  networkInterfaceInUse,
  operationNotPermitted,
  privateIpLimitExceeded,
  securityGroupsPerInterfaceLimitExceeded,
} from './errors';
import { publicIpOf } from './instance-shape';
import { findInstanceRecord, type InstanceRecord } from './instance-state';
import { instanceTypeInfo } from './instance-types';
import { resolveInstances } from './instances';
import { privateDnsName, publicDnsName } from './network-state';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';
import { blockGroupDeleteWhen, defaultGroupOf, findGroup } from './security-groups';
import { allocatePrivateIp, reclaimPrivateIps, type SubnetRecord, subnets } from './subnets';
import { zoneId } from './zones-regions';

/**
 * Elastic network interfaces. An instance's primary interface (device index 0) is a record of this
 * family too: RunInstances creates it, DescribeInstances reads it, and it goes with the instance.
 * Attach and detach settle at once. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html
 */

export interface EniAttachment {
  id: string;
  instanceId: string;
  deviceIndex: number;
  networkCardIndex: number;
  attachTime: number;
  deleteOnTermination: boolean;
}

export interface NetworkInterfaceRecord extends ResourceRecord {
  subnetId: string;
  vpcId: string;
  zone: string;
  description: string;
  groupIds: string[];
  /** The primary private IPv4 address first, then the secondary ones. */
  privateIps: string[];
  macAddress: string;
  sourceDestCheck: boolean;
  interfaceType: NetworkInterfaceType;
  attachment?: EniAttachment | undefined;
}

/** Per region: the interfaces of each instance (DescribeInstances stays linear) and the addresses held. */
interface EniIndex {
  byInstance: Map<string, NetworkInterfaceRecord[]>;
  /** subnet id → the private addresses its interfaces hold. */
  taken: Map<string, Set<string>>;
}

const index = (region: Region) =>
  region.slot<EniIndex>('ec2.eni.index', () => ({ byInstance: new Map(), taken: new Map() }));

const takenIn = (region: Region, subnetId: string) => {
  const taken = index(region).taken;
  let set = taken.get(subnetId);
  if (!set) {
    set = new Set();
    taken.set(subnetId, set);
  }
  return set;
};

function link(region: Region, eni: NetworkInterfaceRecord, a: EniAttachment): void {
  eni.attachment = a;
  const byInstance = index(region).byInstance;
  const list = [...(byInstance.get(a.instanceId) ?? []), eni].sort(
    (x, y) => x.attachment!.deviceIndex - y.attachment!.deviceIndex,
  );
  byInstance.set(a.instanceId, list);
}

function unlink(region: Region, eni: NetworkInterfaceRecord): void {
  const a = eni.attachment;
  if (!a) return;
  eni.attachment = undefined;
  const byInstance = index(region).byInstance;
  const rest = (byInstance.get(a.instanceId) ?? []).filter((o) => o !== eni);
  if (rest.length) byInstance.set(a.instanceId, rest);
  else byInstance.delete(a.instanceId);
}

/** Forgets an interface's addresses and attachment (before the engine drops the record). */
function release(region: Region, eni: NetworkInterfaceRecord): void {
  unlink(region, eni);
  const set = takenIn(region, eni.subnetId);
  for (const ip of eni.privateIps) set.delete(ip);
}

const instanceOf = (region: Region, eni: NetworkInterfaceRecord, now: number) =>
  eni.attachment ? findInstanceRecord(region, eni.attachment.instanceId, now) : undefined;

/** The primary interface shows the instance's public address (auto-assigned or Elastic IP). */
function publicIpOfEni(region: Region, eni: NetworkInterfaceRecord, now: number) {
  if (eni.attachment?.deviceIndex !== 0) return undefined;
  const inst = instanceOf(region, eni, now);
  return inst ? publicIpOf(inst) : undefined;
}

/**
 * The groups with their names. Cached per groupIds array (records replace the array, never change it
 * in place; a group in use cannot be deleted and names never change), which keeps DescribeInstances
 * of thousands of instances linear and cheap.
 */
const named = new WeakMap<readonly string[], GroupIdentifier[]>();
export function groupIdentifiers(region: Region, ids: readonly string[]): GroupIdentifier[] {
  let out = named.get(ids);
  if (!out) {
    out = ids.map((id) => {
      try {
        return { GroupId: id, GroupName: findGroup(region, id).name };
      } catch {
        return { GroupId: id, GroupName: undefined };
      }
    });
    named.set(ids, out);
  }
  return out;
}

function association(region: Region, inst: InstanceRecord | undefined, ip: string | undefined) {
  if (!ip || !inst) return undefined;
  return {
    IpOwnerId: inst.elasticIp ? region.accountId : 'amazon',
    PublicDnsName: publicDnsName(region.name, ip),
    PublicIp: ip,
  };
}

export const networkInterfaces = defineFamily<NetworkInterfaceRecord, NetworkInterface>({
  prefix: 'eni',
  resourceType: 'network-interface',
  errors: idErrors({
    notFound: 'InvalidNetworkInterfaceID.NotFound',
    malformed: 'InvalidNetworkInterfaceId.Malformed',
    noun: 'networkInterface',
    prefix: 'eni',
  }),
  shape: (e, view) => {
    const region = view.region;
    const inst = instanceOf(region, e, view.now);
    const publicIp = publicIpOfEni(region, e, view.now);
    const assoc = association(region, inst, publicIp);
    const a = e.attachment;
    return {
      Association: assoc,
      Attachment: a && {
        AttachTime: new Date(a.attachTime),
        AttachmentId: a.id,
        DeleteOnTermination: a.deleteOnTermination,
        DeviceIndex: a.deviceIndex,
        NetworkCardIndex: a.networkCardIndex,
        InstanceId: a.instanceId,
        InstanceOwnerId: region.accountId,
        Status: 'attached',
      },
      AvailabilityZone: e.zone,
      AvailabilityZoneId: zoneId(region.name, e.zone),
      Description: e.description,
      Groups: groupIdentifiers(region, e.groupIds),
      InterfaceType: e.interfaceType,
      Ipv6Addresses: [],
      MacAddress: e.macAddress,
      NetworkInterfaceId: e.id,
      OwnerId: region.accountId,
      PrivateDnsName: privateDnsName(region.name, e.privateIps[0]!),
      PrivateIpAddress: e.privateIps[0],
      PrivateIpAddresses: e.privateIps.map((ip, i) => ({
        Association: i === 0 ? assoc : undefined,
        Primary: i === 0,
        PrivateDnsName: privateDnsName(region.name, ip),
        PrivateIpAddress: ip,
      })),
      RequesterManaged: false,
      SourceDestCheck: e.sourceDestCheck,
      Status: a ? 'in-use' : 'available',
      SubnetId: e.subnetId,
      TagSet: view.tags(e.id) ?? [],
      VpcId: e.vpcId,
      Ipv6Native: false,
      Operator: { Managed: false },
    };
  },
  filters: (view) => {
    const publicIp = (e: NetworkInterfaceRecord) => publicIpOfEni(view.region, e, view.now);
    const ipOwner = (e: NetworkInterfaceRecord) => {
      const ip = publicIp(e);
      return ip && association(view.region, instanceOf(view.region, e, view.now), ip)?.IpOwnerId;
    };
    return {
      'network-interface-id': (e) => e.id,
      'addresses.private-ip-address': (e) => e.privateIps,
      'addresses.primary': (e) => e.privateIps.map((_, i) => i === 0),
      'addresses.association.public-ip': publicIp,
      'addresses.association.owner-id': ipOwner,
      'association.public-ip': publicIp,
      'association.ip-owner-id': ipOwner,
      'association.public-dns-name': (e) => {
        const ip = publicIp(e);
        return ip && publicDnsName(view.region.name, ip);
      },
      'association.allocation-id': () => undefined,
      'association.association-id': () => undefined,
      'attachment.attachment-id': (e) => e.attachment?.id,
      'attachment.attach-time': (e) => (e.attachment ? new Date(e.attachment.attachTime) : undefined),
      'attachment.delete-on-termination': (e) => e.attachment?.deleteOnTermination,
      'attachment.device-index': (e) => e.attachment?.deviceIndex,
      'attachment.instance-id': (e) => e.attachment?.instanceId,
      'attachment.instance-owner-id': (e) => (e.attachment ? view.region.accountId : undefined),
      'attachment.status': (e) => (e.attachment ? 'attached' : undefined),
      'availability-zone': (e) => e.zone,
      'availability-zone-id': (e) => zoneId(view.region.name, e.zone),
      description: (e) => e.description,
      'group-id': (e) => e.groupIds,
      'group-name': (e) => groupIdentifiers(view.region, e.groupIds).map((g) => g.GroupName),
      'ipv6-addresses.ipv6-address': () => undefined,
      'interface-type': (e) => e.interfaceType,
      'mac-address': (e) => e.macAddress,
      'operator.managed': () => false,
      'operator.principal': () => undefined,
      'owner-id': () => view.region.accountId,
      'private-dns-name': (e) => privateDnsName(view.region.name, e.privateIps[0]!),
      'private-ip-address': (e) => e.privateIps,
      'requester-id': () => undefined,
      'requester-managed': () => false,
      'source-dest-check': (e) => e.sourceDestCheck,
      status: (e) => (e.attachment ? 'in-use' : 'available'),
      'subnet-id': (e) => e.subnetId,
      'vpc-id': (e) => e.vpcId,
    };
  },
  // An interface follows its instance: termination deletes it (DeleteOnTermination) or frees it.
  settle: (e, now, region) => {
    const a = e.attachment;
    if (!a) return true;
    const inst = findInstanceRecord(region, a.instanceId, now);
    if (inst && inst.state !== 'terminated') return true;
    if (a.deleteOnTermination) {
      release(region, e);
      return false;
    }
    unlink(region, e);
    return true;
  },
});

/** The interfaces attached to an instance, by device index (DescribeInstances reads them). */
export function interfacesOf(region: Region, instanceId: string): readonly NetworkInterfaceRecord[] {
  return index(region).byInstance.get(instanceId) ?? [];
}

/** An instance's interfaces in the Instance shape's `NetworkInterfaces`. */
export function instanceInterfaces(region: Region, inst: InstanceRecord): InstanceNetworkInterface[] {
  const publicIp = publicIpOf(inst);
  const assoc = association(region, inst, publicIp);
  return interfacesOf(region, inst.id).map((e) => {
    const a = e.attachment!;
    const primary = a.deviceIndex === 0;
    const dns = e.privateIps.map((ip) => privateDnsName(region.name, ip));
    return {
      Association: primary ? assoc : undefined,
      Attachment: {
        AttachTime: new Date(a.attachTime),
        AttachmentId: a.id,
        DeleteOnTermination: a.deleteOnTermination,
        DeviceIndex: a.deviceIndex,
        Status: 'attached',
        NetworkCardIndex: a.networkCardIndex,
      },
      Description: e.description,
      Groups: groupIdentifiers(region, e.groupIds),
      Ipv6Addresses: [],
      MacAddress: e.macAddress,
      NetworkInterfaceId: e.id,
      OwnerId: region.accountId,
      PrivateDnsName: dns[0],
      PrivateIpAddress: e.privateIps[0],
      PrivateIpAddresses: e.privateIps.map((ip, i) => ({
        Association: primary && i === 0 ? assoc : undefined,
        Primary: i === 0,
        PrivateDnsName: dns[i],
        PrivateIpAddress: ip,
      })),
      SourceDestCheck: e.sourceDestCheck,
      Status: 'in-use',
      SubnetId: e.subnetId,
      VpcId: e.vpcId,
      InterfaceType: e.interfaceType,
    };
  });
}

/** The primary interface of an instance (ModifyInstanceAttribute keeps its groups and check in step). */
export const primaryInterfaceOf = (region: Region, instanceId: string) =>
  interfacesOf(region, instanceId).find((e) => e.attachment?.deviceIndex === 0);

const macAddress = () => `0e:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`;

// ---------------------------------------------------------------------------------------------------
// Private addresses: every address an interface holds is taken in its subnet.

/** The addresses the subnet's interfaces hold, after settling (terminated instances give theirs back). */
export function addressesInUse(scope: Scope, subnetId: string): ReadonlySet<string> {
  networkInterfaces.list(scope);
  return takenIn(scope.region, subnetId);
}

/** Checks that `ip` can be given to an interface in the subnet (AWS reserves the first four and the last). */
function checkAddress(scope: Scope, s: SubnetRecord, ip: string, mayTake?: NetworkInterfaceRecord): void {
  const n = ipToInt(ip);
  const offset = n === undefined ? -1 : n - s.cidr.base;
  if (n === undefined || offset < 0 || offset >= blockSize(s.cidr.prefix))
    throw invalidParameterValue(`Address ${ip} does not fall within the subnet's address range`);
  if (offset < 4 || offset === blockSize(s.cidr.prefix) - 1)
    throw invalidParameterValue(`Address ${ip} is in subnet's reserved address range`);
  if (addressesInUse(scope, s.id).has(ip) && !mayTake?.privateIps.includes(ip)) throw ipAddressInUse(ip);
}

/** The next free address of the subnet, skipping the ones interfaces hold (given explicitly). */
function nextAddress(scope: Scope, s: SubnetRecord, alsoTaken: ReadonlySet<string>): string {
  const taken = takenIn(scope.region, s.id);
  for (let tries = 0; tries < 2; tries++) {
    for (;;) {
      let ip: string;
      try {
        ip = allocatePrivateIp(s);
      } catch {
        break;
      }
      if (!taken.has(ip) && !alsoTaken.has(ip)) return ip;
    }
    // Out of fresh addresses: take back those no interface holds any more, then try once more.
    reclaimPrivateIps(s, new Set([...addressesInUse(scope, s.id), ...alsoTaken]));
  }
  throw invalidParameterValue(`There are not enough free addresses in subnet '${s.id}'.`);
}

/** What a new interface asks of its subnet: explicit addresses, and how many more to pick. */
interface AddressRequest {
  primary?: string | undefined;
  secondaries: string[];
  secondaryCount: number;
}

function addressRequest(
  primary: string | undefined,
  list: readonly PrivateIpAddressSpecification[] | undefined,
  secondaryCount: number | undefined,
): AddressRequest {
  const explicitPrimary = list?.find((p) => p.Primary)?.PrivateIpAddress;
  if (primary && explicitPrimary && primary !== explicitPrimary)
    throw invalidParameterCombination('Only one primary private IP address can be specified.');
  if ((list?.filter((p) => p.Primary).length ?? 0) > 1)
    throw invalidParameterCombination('Only one primary private IP address can be specified.');
  const p = primary ?? explicitPrimary;
  const secondaries = (list ?? [])
    .filter((x) => !x.Primary && x.PrivateIpAddress && x.PrivateIpAddress !== p)
    .map((x) => x.PrivateIpAddress!);
  if (secondaryCount !== undefined && secondaryCount < 1)
    throw invalidParameterValue(
      `Value (${secondaryCount}) for parameter secondaryPrivateIpAddressCount is invalid. Expected a value greater than or equal to 1.`,
    );
  if (secondaryCount !== undefined && secondaries.length)
    throw invalidParameterCombination(
      'SecondaryPrivateIpAddressCount cannot be specified along with secondary private IP addresses.',
    );
  return { primary: p, secondaries, secondaryCount: secondaryCount ?? 0 };
}

/** Validates a request's addresses against the subnet; nothing is taken yet. */
function checkRequest(scope: Scope, s: SubnetRecord, r: AddressRequest): void {
  const explicit = [...(r.primary ? [r.primary] : []), ...r.secondaries];
  if (new Set(explicit).size !== explicit.length)
    throw invalidParameterValue('The same private IP address was specified more than once.');
  for (const ip of explicit) checkAddress(scope, s, ip);
}

/** Takes the addresses of a checked request; the primary first. */
function takeAddresses(scope: Scope, s: SubnetRecord, r: AddressRequest): string[] {
  const explicit = new Set([...(r.primary ? [r.primary] : []), ...r.secondaries]);
  const ips = [r.primary ?? nextAddress(scope, s, explicit), ...r.secondaries];
  for (let i = 0; i < r.secondaryCount; i++) ips.push(nextAddress(scope, s, explicit));
  const set = takenIn(scope.region, s.id);
  for (const ip of ips) set.add(ip);
  return ips;
}

/** Security groups for an interface: in the subnet's VPC, at most five, the VPC's default otherwise. */
function groupsFor(scope: Scope, s: SubnetRecord, ids: readonly string[] | undefined): string[] {
  if (!ids?.length) return [defaultGroupOf(scope.region, s.vpcId).id];
  const unique = [...new Set(ids)];
  if (unique.length > MAX_GROUPS) throw securityGroupsPerInterfaceLimitExceeded();
  for (const id of unique) {
    const g = findGroup(scope.region, id);
    if (g.vpcId !== s.vpcId)
      throw invalidParameterValue(`Security group ${g.id} and subnet ${s.id} belong to different networks.`);
  }
  return unique;
}

/** vpc-max-security-groups-per-interface (DescribeAccountAttributes). */
export const MAX_GROUPS = 5;

/** The instance type's limits: interfaces per instance and IPv4 addresses per interface. */
function limitsOf(instanceType: string) {
  const net = instanceTypeInfo(instanceType)?.NetworkInfo;
  return {
    interfaces: net?.MaximumNetworkInterfaces ?? 2,
    addresses: net?.Ipv4AddressesPerInterface ?? 2,
  };
}

// ---------------------------------------------------------------------------------------------------
// RunInstances: the interfaces of each new instance.

/** One interface of a launch, validated: a new interface in a subnet, or an existing one. */
type PlannedInterface = {
  deviceIndex: number;
  deleteOnTermination: boolean;
} & (
  | {
      existing: NetworkInterfaceRecord;
    }
  | {
      existing?: undefined;
      subnet: SubnetRecord;
      groupIds: string[];
      description: string;
      addresses: AddressRequest;
    }
);

export interface InterfacePlan {
  interfaces: PlannedInterface[];
}

/** The subnet of an existing interface named as a launch's primary (RunInstances places the instance there). */
export function launchSubnetOf(scope: Scope, nic: InstanceNetworkInterfaceSpecification | undefined) {
  if (!nic?.NetworkInterfaceId) return undefined;
  const e = networkInterfaces.get(scope, nic.NetworkInterfaceId, 'NetworkInterfaceId');
  return subnets.get(scope, e.subnetId, 'SubnetId');
}

/**
 * Validates RunInstances' network interfaces for `count` instances of `instanceType` whose primary
 * interface goes in `subnet` with `groupIds`
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterfaceSpecification.html).
 */
export function planInterfaces(
  scope: Scope,
  o: {
    subnet: SubnetRecord;
    groupIds: string[];
    count: number;
    instanceType: string;
    privateIp?: string | undefined;
    specs: readonly InstanceNetworkInterfaceSpecification[] | undefined;
  },
): InterfacePlan {
  const specs = o.specs?.length ? o.specs : [{ DeviceIndex: 0 } as InstanceNetworkInterfaceSpecification];
  const seen = new Set<number>();
  const interfaces: PlannedInterface[] = [];
  const limits = limitsOf(o.instanceType);
  if (specs.length > limits.interfaces)
    throw attachmentLimitExceeded(`Interface count ${specs.length} exceeds the limit for ${o.instanceType}`);
  for (const spec of specs) {
    const deviceIndex = spec.DeviceIndex ?? (spec.NetworkInterfaceId ? undefined : 0);
    if (deviceIndex === undefined) throw missingParameter('NetworkInterface.DeviceIndex');
    if (seen.has(deviceIndex))
      throw invalidParameterValue(`Each network interface requires a unique device index.`);
    seen.add(deviceIndex);
    if (spec.NetworkInterfaceId) {
      const e = networkInterfaces.get(scope, spec.NetworkInterfaceId, 'NetworkInterfaceId');
      if (e.attachment) throw networkInterfaceInUse(`Interface: [${e.id}] in use.`);
      if (o.count > 1)
        throw invalidParameterCombination(
          'Network interfaces and an instance-level private IP address should not be specified on the same request',
        );
      if (e.zone !== o.subnet.zone)
        throw invalidParameterCombination(
          'You may not attach a network interface to an instance if they are not in the same availability zone',
        );
      interfaces.push({ deviceIndex, deleteOnTermination: spec.DeleteOnTermination ?? false, existing: e });
      continue;
    }
    const subnet = deviceIndex === 0 ? o.subnet : subnets.get(scope, spec.SubnetId, 'SubnetId');
    if (subnet.zone !== o.subnet.zone)
      throw invalidParameterCombination(
        'You may not attach a network interface to an instance if they are not in the same availability zone',
      );
    const addresses = addressRequest(
      spec.PrivateIpAddress ?? (deviceIndex === 0 ? o.privateIp : undefined),
      spec.PrivateIpAddresses,
      spec.SecondaryPrivateIpAddressCount,
    );
    if (o.count > 1 && (addresses.primary || addresses.secondaries.length))
      throw invalidParameterCombination(
        'Network interfaces and an instance-level private IP address should not be specified on the same request',
      );
    if (1 + addresses.secondaries.length + addresses.secondaryCount > limits.addresses)
      throw privateIpLimitExceeded();
    checkRequest(scope, subnet, addresses);
    interfaces.push({
      deviceIndex,
      deleteOnTermination: spec.DeleteOnTermination ?? true,
      subnet,
      groupIds: deviceIndex === 0 ? o.groupIds : groupsFor(scope, subnet, spec.Groups),
      description: spec.Description ?? '',
      addresses,
    });
  }
  if (!seen.has(0)) throw invalidParameterValue('A network interface at device index 0 is required.');
  return { interfaces: interfaces.sort((a, b) => a.deviceIndex - b.deviceIndex) };
}

/**
 * Creates (or attaches) the planned interfaces of one new instance and answers the primary one, whose
 * first address is the instance's private address. The plan was validated; this cannot fail.
 */
export function launchInterfaces(
  scope: Scope,
  plan: InterfacePlan,
  instanceId: string,
  now: number,
): NetworkInterfaceRecord {
  let primary: NetworkInterfaceRecord | undefined;
  for (const p of plan.interfaces) {
    const e = p.existing ?? newInterface(scope, p.subnet, p.groupIds, p.description, p.addresses);
    link(scope.region, e, {
      id: networkInterfaces.newId().replace(/^eni-/, 'eni-attach-'),
      instanceId,
      deviceIndex: p.deviceIndex,
      networkCardIndex: 0,
      attachTime: now,
      deleteOnTermination: p.deleteOnTermination,
    });
    if (p.deviceIndex === 0) primary = e;
  }
  return primary!;
}

function newInterface(
  scope: Scope,
  s: SubnetRecord,
  groupIds: string[],
  description: string,
  addresses: AddressRequest,
): NetworkInterfaceRecord {
  return networkInterfaces.add(scope.region, {
    id: networkInterfaces.newId(),
    subnetId: s.id,
    vpcId: s.vpcId,
    zone: s.zone,
    description,
    groupIds,
    privateIps: takeAddresses(scope, s, addresses),
    macAddress: macAddress(),
    sourceDestCheck: true,
    interfaceType: 'interface',
  });
}

// ---------------------------------------------------------------------------------------------------
// The family's actions.

const INTERFACE_TYPES = ['efa', 'efa-only', 'trunk', 'interface'];

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInterface.html */
const createNetworkInterface: Handler<
  CreateNetworkInterfaceCommandInput,
  Out<CreateNetworkInterfaceCommandOutput>
> = (input, ctx) => {
  const s = subnets.get(ctx, input.SubnetId, 'SubnetId');
  const groupIds = groupsFor(ctx, s, input.Groups);
  const addresses = addressRequest(
    input.PrivateIpAddress,
    input.PrivateIpAddresses,
    input.SecondaryPrivateIpAddressCount,
  );
  checkRequest(ctx, s, addresses);
  const type = input.InterfaceType ?? 'interface';
  if (!INTERFACE_TYPES.includes(type))
    throw invalidParameterValue(`Value (${type}) for parameter interfaceType is invalid.`);
  const e = networkInterfaces.create(ctx, input, (id) => ({
    id,
    subnetId: s.id,
    vpcId: s.vpcId,
    zone: s.zone,
    description: input.Description ?? '',
    groupIds,
    privateIps: takeAddresses(ctx, s, addresses),
    macAddress: macAddress(),
    sourceDestCheck: true,
    interfaceType: type as NetworkInterfaceType,
  }));
  return { NetworkInterface: networkInterfaces.shape(ctx, e), ClientToken: input.ClientToken };
};

const deleteNetworkInterface: Handler<
  DeleteNetworkInterfaceCommandInput,
  Out<DeleteNetworkInterfaceCommandOutput>
> = (input, ctx) => {
  const e = networkInterfaces.delete(ctx, input, input.NetworkInterfaceId, 'NetworkInterfaceId', (e) => {
    if (e.attachment) throw networkInterfaceInUse(`The network interface '${e.id}' is currently in use.`);
  });
  release(ctx.region, e);
  return {};
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html */
const describeNetworkInterfaces: Handler<
  DescribeNetworkInterfacesCommandInput,
  Out<DescribeNetworkInterfacesCommandOutput>
> = (input, ctx) => {
  if (input.NetworkInterfaceIds?.length && input.MaxResults !== undefined)
    throw invalidParameterCombination(
      'The parameter networkInterfaceIdSet cannot be used with the parameter maxResults',
    );
  const page = networkInterfaces.describe(ctx, input, input.NetworkInterfaceIds);
  return { NetworkInterfaces: page.items, NextToken: page.nextToken };
};

/**
 * Same zone, a free device index, and the instance type's interface and per-interface address limits
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html).
 */
const attachNetworkInterface: Handler<
  AttachNetworkInterfaceCommandInput,
  Out<AttachNetworkInterfaceCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  const e = networkInterfaces.get(ctx, input.NetworkInterfaceId, 'NetworkInterfaceId');
  if (input.DeviceIndex === undefined) throw missingParameter('DeviceIndex');
  const [inst] = resolveInstances(ctx.region, input.InstanceId ? [input.InstanceId] : undefined, now);
  const i = inst!;
  if (e.attachment) throw networkInterfaceInUse(`Interface: [${e.id}] in use.`);
  if (i.state !== 'running' && i.state !== 'stopped' && i.state !== 'pending')
    throw incorrectInstanceState(`The instance '${i.id}' is not in a valid state for this operation.`);
  if (e.zone !== i.zone)
    throw invalidParameterCombination(
      'You may not attach a network interface to an instance if they are not in the same availability zone',
    );
  const attached = interfacesOf(ctx.region, i.id);
  if (attached.some((o) => o.attachment!.deviceIndex === input.DeviceIndex))
    throw invalidParameterValue(
      `Instance '${i.id}' already has an interface attached at device index '${input.DeviceIndex}'.`,
    );
  const limits = limitsOf(i.instanceType);
  if (attached.length + 1 > limits.interfaces)
    throw attachmentLimitExceeded(
      `Interface count ${attached.length + 1} exceeds the limit for ${i.instanceType}`,
    );
  if (e.privateIps.length > limits.addresses) throw privateIpLimitExceeded();
  if ((input.NetworkCardIndex ?? 0) !== 0)
    throw invalidParameterValue(
      `Network card index ${input.NetworkCardIndex} is not valid for ${i.instanceType}.`,
    );
  checkDryRun(input);
  const id = networkInterfaces.newId().replace(/^eni-/, 'eni-attach-');
  link(ctx.region, e, {
    id,
    instanceId: i.id,
    deviceIndex: input.DeviceIndex,
    networkCardIndex: 0,
    attachTime: now,
    deleteOnTermination: false,
  });
  return { AttachmentId: id, NetworkCardIndex: 0 };
};

function byAttachment(scope: Scope, id: string | undefined): NetworkInterfaceRecord {
  if (!id) throw missingParameter('AttachmentId');
  const e = networkInterfaces.where(scope, (o) => o.attachment?.id === id).next().value;
  if (!e) throw attachmentNotFound(id);
  return e;
}

const detachNetworkInterface: Handler<
  DetachNetworkInterfaceCommandInput,
  Out<DetachNetworkInterfaceCommandOutput>
> = (input, ctx) => {
  const e = byAttachment(ctx, input.AttachmentId);
  if (e.attachment!.deviceIndex === 0)
    throw operationNotPermitted('The network interface at device index 0 cannot be detached.');
  checkDryRun(input);
  unlink(ctx.region, e);
  return {};
};

/** One attribute per call (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyNetworkInterfaceAttribute.html). */
const modifyNetworkInterfaceAttribute: Handler<
  ModifyNetworkInterfaceAttributeCommandInput,
  Out<ModifyNetworkInterfaceAttributeCommandOutput>
> = (input, ctx) => {
  const e = networkInterfaces.get(ctx, input.NetworkInterfaceId, 'NetworkInterfaceId');
  const edits: (() => void)[] = [];
  const primaryOf = () =>
    e.attachment?.deviceIndex === 0
      ? findInstanceRecord(ctx.region, e.attachment.instanceId, ctx.clock.now())
      : undefined;
  if (input.Description) {
    const v = input.Description.Value ?? '';
    edits.push(() => (e.description = v));
  }
  if (input.SourceDestCheck) {
    const v = input.SourceDestCheck.Value;
    if (v === undefined) throw missingParameter('SourceDestCheck.Value');
    edits.push(() => {
      e.sourceDestCheck = v;
      const inst = primaryOf();
      if (inst) inst.sourceDestCheck = v;
    });
  }
  if (input.Groups?.length) {
    const s = subnets.get(ctx, e.subnetId, 'SubnetId');
    const ids = groupsFor(ctx, s, input.Groups);
    edits.push(() => {
      e.groupIds = ids;
      const inst = primaryOf();
      if (inst) inst.groupIds = [...ids];
    });
  }
  if (input.Attachment) {
    const a = input.Attachment;
    if (!a.AttachmentId) throw missingParameter('Attachment.AttachmentId');
    if (e.attachment?.id !== a.AttachmentId) throw attachmentNotFound(a.AttachmentId);
    const v = a.DeleteOnTermination;
    if (v === undefined) throw missingParameter('Attachment.DeleteOnTermination');
    edits.push(() => (e.attachment!.deleteOnTermination = v));
  }
  if (edits.length === 0) throw missingParameter('Attribute');
  if (edits.length > 1)
    throw invalidParameterCombination('Only one attribute can be modified in a single request.');
  checkDryRun(input);
  edits[0]!();
  return {};
};

const describeNetworkInterfaceAttribute: Handler<
  DescribeNetworkInterfaceAttributeCommandInput,
  Out<DescribeNetworkInterfaceAttributeCommandOutput>
> = (input, ctx) => {
  const e = networkInterfaces.get(ctx, input.NetworkInterfaceId, 'NetworkInterfaceId');
  const shape = networkInterfaces.shape(ctx, e);
  const out = { NetworkInterfaceId: e.id };
  switch (input.Attribute) {
    case 'description':
      return { ...out, Description: { Value: e.description } };
    case 'groupSet':
      return { ...out, Groups: shape.Groups };
    case 'sourceDestCheck':
      return { ...out, SourceDestCheck: { Value: e.sourceDestCheck } };
    case 'attachment':
      return { ...out, Attachment: shape.Attachment };
    case 'associatePublicIpAddress':
      return { ...out, AssociatePublicIpAddress: shape.Association !== undefined };
    case undefined:
      throw missingParameter('Attribute');
    default:
      throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
  }
};

/** Only sourceDestCheck can be reset (to true). */
const resetNetworkInterfaceAttribute: Handler<
  ResetNetworkInterfaceAttributeCommandInput,
  Out<ResetNetworkInterfaceAttributeCommandOutput>
> = (input, ctx) => {
  const e = networkInterfaces.get(ctx, input.NetworkInterfaceId, 'NetworkInterfaceId');
  if (input.SourceDestCheck === undefined) throw missingParameter('SourceDestCheck');
  if (input.SourceDestCheck !== 'sourceDestCheck')
    throw invalidParameterValue(`Value (${input.SourceDestCheck}) for parameter sourceDestCheck is invalid.`);
  checkDryRun(input);
  e.sourceDestCheck = true;
  if (e.attachment?.deviceIndex === 0) {
    const inst = findInstanceRecord(ctx.region, e.attachment.instanceId, ctx.clock.now());
    if (inst) inst.sourceDestCheck = true;
  }
  return {};
};

/**
 * Secondary addresses, within the attached instance type's addresses per interface. A secondary
 * address of another interface moves only with AllowReassignment.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssignPrivateIpAddresses.html
 */
const assignPrivateIpAddresses: Handler<
  AssignPrivateIpAddressesCommandInput,
  Out<AssignPrivateIpAddressesCommandOutput>
> = (input, ctx) => {
  const e = networkInterfaces.get(ctx, input.NetworkInterfaceId, 'NetworkInterfaceId');
  const wanted = input.PrivateIpAddresses ?? [];
  const count = input.SecondaryPrivateIpAddressCount;
  if (wanted.length && count !== undefined)
    throw invalidParameterCombination(
      'SecondaryPrivateIpAddressCount cannot be specified along with PrivateIpAddresses.',
    );
  if (!wanted.length && !count)
    throw missingParameter('PrivateIpAddresses or SecondaryPrivateIpAddressCount');
  const s = subnets.get(ctx, e.subnetId, 'SubnetId');
  const inst = instanceOf(ctx.region, e, ctx.clock.now());
  const limit = inst ? limitsOf(inst.instanceType).addresses : LIMIT_UNATTACHED;
  const fresh = wanted.filter((ip) => !e.privateIps.includes(ip));
  if (e.privateIps.length + fresh.length + (count ?? 0) > limit) throw privateIpLimitExceeded();
  const moves: { from: NetworkInterfaceRecord; ip: string }[] = [];
  for (const ip of fresh) {
    const holder = addressesInUse(ctx, s.id).has(ip)
      ? networkInterfaces.where(ctx, (o) => o.subnetId === s.id && o.privateIps.includes(ip)).next().value
      : undefined;
    if (holder) {
      if (!input.AllowReassignment || holder.privateIps[0] === ip) throw ipAddressInUse(ip);
      moves.push({ from: holder, ip });
    } else checkAddress(ctx, s, ip);
  }
  const taken = takenIn(ctx.region, s.id);
  for (const m of moves) m.from.privateIps = m.from.privateIps.filter((ip) => ip !== m.ip);
  const added = [...fresh];
  for (const ip of fresh) taken.add(ip);
  for (let i = 0; i < (count ?? 0); i++) {
    const ip = nextAddress(ctx, s, new Set());
    taken.add(ip);
    added.push(ip);
  }
  e.privateIps.push(...added);
  return {
    NetworkInterfaceId: e.id,
    AssignedPrivateIpAddresses: added.map((PrivateIpAddress) => ({ PrivateIpAddress })),
  };
};

/** An interface that no instance holds may carry up to the largest type's 50 addresses. */
const LIMIT_UNATTACHED = 50;

const unassignPrivateIpAddresses: Handler<
  UnassignPrivateIpAddressesCommandInput,
  Out<UnassignPrivateIpAddressesCommandOutput>
> = (input, ctx) => {
  const e = networkInterfaces.get(ctx, input.NetworkInterfaceId, 'NetworkInterfaceId');
  const ips = input.PrivateIpAddresses ?? [];
  if (!ips.length) throw missingParameter('PrivateIpAddress');
  if (ips.includes(e.privateIps[0]!))
    throw invalidParameterValue(
      `The primary private IP address ${e.privateIps[0]} of a network interface cannot be unassigned.`,
    );
  const missing = ips.filter((ip) => !e.privateIps.includes(ip));
  if (missing.length)
    throw invalidParameterValue(`Some of the specified addresses are not assigned to interface ${e.id}`);
  e.privateIps = e.privateIps.filter((ip) => !ips.includes(ip));
  const taken = takenIn(ctx.region, e.subnetId);
  for (const ip of ips) taken.delete(ip);
  return {};
};

// A subnet with interfaces cannot be deleted, nor a security group an interface uses.
subnets.blockedBy(
  'network interfaces',
  (scope, s) => !networkInterfaces.where(scope, (e) => e.subnetId === s.id).next().done,
);
blockGroupDeleteWhen(
  (region, now, groupId) =>
    !networkInterfaces.where(scopeAt(region, now), (e) => e.groupIds.includes(groupId)).next().done,
);

export const networkInterfaceHandlers: HandlerMap = {
  CreateNetworkInterface: createNetworkInterface,
  DeleteNetworkInterface: deleteNetworkInterface,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  AttachNetworkInterface: attachNetworkInterface,
  DetachNetworkInterface: detachNetworkInterface,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  DescribeNetworkInterfaceAttribute: describeNetworkInterfaceAttribute,
  ResetNetworkInterfaceAttribute: resetNetworkInterfaceAttribute,
  AssignPrivateIpAddresses: assignPrivateIpAddresses,
  UnassignPrivateIpAddresses: unassignPrivateIpAddresses,
};
