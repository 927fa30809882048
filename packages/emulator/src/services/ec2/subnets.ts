import type {
  AssociateSubnetCidrBlockCommandInput,
  AssociateSubnetCidrBlockCommandOutput,
  AttributeBooleanValue,
  CreateSubnetCommandInput,
  CreateSubnetCommandOutput,
  DeleteSubnetCommandInput,
  DeleteSubnetCommandOutput,
  DescribeSubnetsCommandInput,
  DescribeSubnetsCommandOutput,
  DisassociateSubnetCidrBlockCommandInput,
  DisassociateSubnetCidrBlockCommandOutput,
  HostnameType,
  ModifySubnetAttributeCommandInput,
  ModifySubnetAttributeCommandOutput,
  Subnet,
  SubnetIpv6CidrBlockAssociation,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  blockSize,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  intToIp,
  ipv6Contains,
  ipv6Overlap,
  parseCidr,
  parseIpv6Cidr,
} from './cidr';
import {
  cidrBlockInUse,
  cidrInvalid,
  idErrors,
  insufficientFreeAddresses,
  invalidParameterCombination,
  invalidParameterValue,
  invalidZone,
  missingParameter,
  subnetCidrAssociationNotFound,
  subnetConflict,
} from './errors';
import { newId } from './ids';
import { network } from './network-state';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';
import { checkBlock, onVpcBlockInUse, vpcs } from './vpcs';
import { checkZone, zoneId } from './zones-regions';

/**
 * Subnets, their attributes and IPv6 blocks, and the private addresses they hand out.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html
 */

interface Ipv6Block {
  associationId: string;
  cidr: string;
  state: 'associated' | 'disassociated';
}

export interface SubnetRecord extends ResourceRecord {
  vpcId: string;
  cidr: Cidr;
  zone: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  assignIpv6AddressOnCreation: boolean;
  ipv6Blocks: Ipv6Block[];
  /** An IPv6-only subnet has no IPv4 block (the emulator still gives it one internally). */
  ipv6Native: boolean;
  enableDns64: boolean;
  mapCustomerOwnedIpOnLaunch: boolean;
  hostnameType: HostnameType;
  enableResourceNameDnsARecord: boolean;
  enableResourceNameDnsAAAARecord: boolean;
  enableLniAtDeviceIndex?: number | undefined;
  /** The next host offset to hand out; AWS reserves the first four addresses and the last. */
  nextHost: number;
  /** Host offsets below nextHost given back by terminated instances, handed out again first. */
  released: number[];
}

/** How many private addresses a subnet can still hand out. */
export const freeAddresses = (s: SubnetRecord) =>
  blockSize(s.cidr.prefix) - 1 - s.nextHost + s.released.length;

const usedAddresses = (s: SubnetRecord) => s.nextHost - 4 - s.released.length;
const availableAddresses = (s: SubnetRecord) => blockSize(s.cidr.prefix) - 5 - usedAddresses(s);

const liveIpv6 = (s: SubnetRecord) => s.ipv6Blocks.filter((b) => b.state === 'associated');

const ipv6Association = (b: Ipv6Block): SubnetIpv6CidrBlockAssociation => ({
  AssociationId: b.associationId,
  Ipv6CidrBlock: b.cidr,
  Ipv6CidrBlockState: { State: b.state },
  Ipv6AddressAttribute: 'public',
  IpSource: 'amazon',
});

const subnetArn = (region: Region, id: string) =>
  `arn:aws:ec2:${region.name}:${region.accountId}:subnet/${id}`;

export const subnets = defineFamily<SubnetRecord, Subnet>({
  prefix: 'subnet',
  resourceType: 'subnet',
  errors: idErrors({
    notFound: 'InvalidSubnetID.NotFound',
    malformed: 'InvalidSubnetID.Malformed',
    noun: 'subnet',
    prefix: 'subnet',
  }),
  shape: (s, view) => ({
    SubnetId: s.id,
    VpcId: s.vpcId,
    CidrBlock: s.ipv6Native ? undefined : formatCidr(s.cidr),
    AvailabilityZone: s.zone,
    AvailabilityZoneId: zoneId(view.region.name, s.zone),
    AvailableIpAddressCount: s.ipv6Native ? 0 : availableAddresses(s),
    DefaultForAz: s.defaultForAz,
    MapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: s.mapCustomerOwnedIpOnLaunch,
    State: 'available',
    OwnerId: view.region.accountId,
    AssignIpv6AddressOnCreation: s.assignIpv6AddressOnCreation,
    Ipv6CidrBlockAssociationSet: liveIpv6(s).map(ipv6Association),
    SubnetArn: subnetArn(view.region, s.id),
    EnableDns64: s.enableDns64,
    Ipv6Native: s.ipv6Native,
    EnableLniAtDeviceIndex: s.enableLniAtDeviceIndex,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: s.hostnameType,
      EnableResourceNameDnsARecord: s.enableResourceNameDnsARecord,
      EnableResourceNameDnsAAAARecord: s.enableResourceNameDnsAAAARecord,
    },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: view.tags(s.id),
  }),
  filters: (view) => ({
    'subnet-id': (s) => s.id,
    'vpc-id': (s) => s.vpcId,
    'availability-zone': (s) => s.zone,
    'availability-zone-id': (s) => zoneId(view.region.name, s.zone),
    'available-ip-address-count': availableAddresses,
    'cidr-block': (s) => formatCidr(s.cidr),
    cidr: (s) => formatCidr(s.cidr),
    cidrBlock: (s) => formatCidr(s.cidr),
    'default-for-az': (s) => s.defaultForAz,
    defaultForAz: (s) => s.defaultForAz,
    'enable-dns64': (s) => s.enableDns64,
    'enable-lni-at-device-index': (s) => s.enableLniAtDeviceIndex,
    'ipv6-cidr-block-association.ipv6-cidr-block': (s) => liveIpv6(s).map((b) => b.cidr),
    'ipv6-cidr-block-association.association-id': (s) => liveIpv6(s).map((b) => b.associationId),
    'ipv6-cidr-block-association.state': (s) => liveIpv6(s).map((b) => b.state),
    'ipv6-native': (s) => s.ipv6Native,
    'map-customer-owned-ip-on-launch': (s) => s.mapCustomerOwnedIpOnLaunch,
    'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
    'owner-id': () => view.region.accountId,
    'private-dns-name-options-on-launch.hostname-type': (s) => s.hostnameType,
    'private-dns-name-options-on-launch.enable-resource-name-dns-a-record': (s) =>
      s.enableResourceNameDnsARecord,
    'private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record': (s) =>
      s.enableResourceNameDnsAAAARecord,
    state: () => 'available',
    'subnet-arn': (s) => subnetArn(view.region, s.id),
  }),
});

/** Compatibility readers for families that hold a region but no request. */
export function findSubnet(region: Region, id: string): SubnetRecord {
  return subnets.get(scopeAt(region, 0), id, 'SubnetId');
}

export function defaultSubnetFor(region: Region, zone: string): SubnetRecord {
  const vpcId = network(region).defaultVpcId;
  for (const s of subnets.list(scopeAt(region, 0)))
    if (s.vpcId === vpcId && s.defaultForAz && s.zone === zone) return s;
  throw invalidZone(zone);
}

/** The next private address of a subnet. */
export function allocatePrivateIp(s: SubnetRecord): string {
  const reused = s.released.pop();
  if (reused !== undefined) return intToIp(s.cidr.base + reused);
  if (s.nextHost >= blockSize(s.cidr.prefix) - 1) throw insufficientFreeAddresses(s.id);
  return intToIp(s.cidr.base + s.nextHost++);
}

/**
 * Gives back the addresses of instances that no longer hold one (terminated), so that a long-running
 * emulator does not run out: `inUse` lists the addresses still taken in this subnet.
 */
export function reclaimPrivateIps(s: SubnetRecord, inUse: ReadonlySet<string>): void {
  const released: number[] = [];
  for (let host = s.nextHost - 1; host >= 4; host--)
    if (!inUse.has(intToIp(s.cidr.base + host))) released.push(host);
  s.released = released;
}

type SubnetHook = (scope: Scope, subnet: SubnetRecord) => void;
const created: SubnetHook[] = [];
const deleted: SubnetHook[] = [];
/** The network ACL family associates a new subnet with its VPC's default ACL here. */
export const onSubnetCreated = (hook: SubnetHook) => void created.push(hook);
/** Route-table and ACL associations of a deleted subnet go here. */
export const onSubnetDeleted = (hook: SubnetHook) => void deleted.push(hook);

type SubnetFields = Pick<SubnetRecord, 'vpcId' | 'cidr' | 'zone' | 'defaultForAz' | 'mapPublicIpOnLaunch'> &
  Partial<Pick<SubnetRecord, 'ipv6Blocks' | 'ipv6Native'>>;

/** A new subnet's record: the given fields and AWS's defaults for the rest. */
const subnetFields = (fields: SubnetFields): Omit<SubnetRecord, 'id' | 'seq'> => ({
  ipv6Blocks: [],
  ipv6Native: false,
  ...fields,
  assignIpv6AddressOnCreation: false,
  enableDns64: false,
  mapCustomerOwnedIpOnLaunch: false,
  hostnameType: 'ip-name',
  enableResourceNameDnsARecord: false,
  enableResourceNameDnsAAAARecord: false,
  nextHost: 4,
  released: [],
});

/** A default subnet (the region seed calls it), with what the other families attach to every subnet. */
export function addDefaultSubnet(scope: Scope, fields: SubnetFields): SubnetRecord {
  const s = subnets.add(scope.region, { id: subnets.newId(), ...subnetFields(fields) });
  for (const hook of created) hook(scope, s);
  return s;
}

/** A subnet's IPv6 block is a /64 inside one of its VPC's IPv6 blocks, overlapping no other subnet's. */
function checkIpv6Block(scope: Scope, vpcId: string, cidr: string, self?: SubnetRecord): string {
  const c = parseIpv6Cidr(cidr);
  if (!c)
    throw invalidParameterValue(
      `Value (${cidr}) for parameter ipv6CidrBlock is invalid. This is not a valid CIDR block.`,
    );
  if (c.prefix !== 64) throw cidrInvalid('InvalidSubnet.Range', cidr);
  const vpc = vpcs.get(scope, vpcId, 'VpcId');
  const inVpc = vpc.ipv6Blocks.some(
    (b) => b.state === 'associated' && ipv6Contains(parseIpv6Cidr(b.cidr)!, c),
  );
  if (!inVpc) throw cidrInvalid('InvalidSubnet.Range', cidr);
  for (const s of subnets.where(scope, (o) => o.vpcId === vpcId && o !== self))
    for (const b of liveIpv6(s)) if (ipv6Overlap(parseIpv6Cidr(b.cidr)!, c)) throw subnetConflict(cidr);
  return cidr;
}

const createSubnet: Handler<CreateSubnetCommandInput, Out<CreateSubnetCommandOutput>> = (input, ctx) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (input.Ipv6Native && input.CidrBlock)
    throw invalidParameterCombination('An IPv6-native subnet cannot have an IPv4 CIDR block.');
  if (input.Ipv6Native && !input.Ipv6CidrBlock) throw missingParameter('Ipv6CidrBlock');
  const ipv6 = input.Ipv6CidrBlock ? checkIpv6Block(ctx, vpc.id, input.Ipv6CidrBlock) : undefined;
  let cidr: Cidr;
  if (input.Ipv6Native) {
    // No IPv4 block on the wire; an internal /28 outside every VPC range keeps the address code uniform.
    cidr = parseCidr('100.64.0.0/28')!;
  } else {
    cidr = checkBlock(input.CidrBlock, 'CidrBlock', 'InvalidSubnet.Range');
    const blocks = vpc.cidrBlocks.filter((b) => b.state === 'associated').map((b) => parseCidr(b.cidr)!);
    if (!blocks.some((b) => cidrContains(b, cidr)))
      throw cidrInvalid('InvalidSubnet.Range', input.CidrBlock!);
    for (const s of subnets.where(ctx, (o) => o.vpcId === vpc.id && !o.ipv6Native))
      if (cidrsOverlap(s.cidr, cidr)) throw subnetConflict(input.CidrBlock!);
  }
  let zone = input.AvailabilityZone;
  if (!zone && input.AvailabilityZoneId)
    zone = ctx.region.zones.find((z) => zoneId(ctx.region.name, z) === input.AvailabilityZoneId);
  zone ??= ctx.region.zones[0]!;
  checkZone(ctx.region, zone);
  const s = subnets.create(ctx, input, () =>
    subnetFields({
      vpcId: vpc.id,
      cidr,
      zone,
      defaultForAz: false,
      mapPublicIpOnLaunch: false,
      ipv6Native: input.Ipv6Native ?? false,
      ipv6Blocks: ipv6
        ? [{ associationId: newId('subnet-cidr-assoc'), cidr: ipv6, state: 'associated' }]
        : [],
    }),
  );
  for (const hook of created) hook(ctx, s);
  return { Subnet: subnets.shape(ctx, s) };
};

const deleteSubnet: Handler<DeleteSubnetCommandInput, Out<DeleteSubnetCommandOutput>> = (input, ctx) => {
  const s = subnets.delete(ctx, input, input.SubnetId, 'SubnetId');
  for (const hook of deleted) hook(ctx, s);
  return {};
};

const bool = (name: string, a: AttributeBooleanValue) => {
  if (a.Value === undefined) throw missingParameter(`${name}.Value`);
  return a.Value;
};

/**
 * One attribute per call (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySubnetAttribute.html).
 * Everything is checked before the one change is made.
 */
const modifySubnetAttribute: Handler<
  ModifySubnetAttributeCommandInput,
  Out<ModifySubnetAttributeCommandOutput>
> = (input, ctx) => {
  const s = subnets.get(ctx, input.SubnetId, 'SubnetId');
  const changes: (() => void)[] = [];
  if (input.MapPublicIpOnLaunch) {
    const v = bool('MapPublicIpOnLaunch', input.MapPublicIpOnLaunch);
    changes.push(() => {
      s.mapPublicIpOnLaunch = v;
    });
  }
  if (input.AssignIpv6AddressOnCreation) {
    const v = bool('AssignIpv6AddressOnCreation', input.AssignIpv6AddressOnCreation);
    if (v && liveIpv6(s).length === 0)
      throw invalidParameterValue(
        `Subnet ${s.id} does not have an IPv6 CIDR block; it cannot assign IPv6 addresses on creation`,
      );
    changes.push(() => {
      s.assignIpv6AddressOnCreation = v;
    });
  }
  if (input.MapCustomerOwnedIpOnLaunch) {
    const v = bool('MapCustomerOwnedIpOnLaunch', input.MapCustomerOwnedIpOnLaunch);
    // Customer-owned addresses exist only on Outposts subnets, which the emulator has none of.
    if (v)
      throw invalidParameterValue('MapCustomerOwnedIpOnLaunch is only supported for subnets on an Outpost');
    changes.push(() => {
      s.mapCustomerOwnedIpOnLaunch = v;
    });
  }
  if (input.EnableDns64) {
    const v = bool('EnableDns64', input.EnableDns64);
    changes.push(() => {
      s.enableDns64 = v;
    });
  }
  if (input.PrivateDnsHostnameTypeOnLaunch) {
    const v = input.PrivateDnsHostnameTypeOnLaunch;
    if (v !== 'ip-name' && v !== 'resource-name')
      throw invalidParameterValue(`Value (${v}) for parameter privateDnsHostnameTypeOnLaunch is invalid.`);
    changes.push(() => {
      s.hostnameType = v;
    });
  }
  if (input.EnableResourceNameDnsARecordOnLaunch) {
    const v = bool('EnableResourceNameDnsARecordOnLaunch', input.EnableResourceNameDnsARecordOnLaunch);
    changes.push(() => {
      s.enableResourceNameDnsARecord = v;
    });
  }
  if (input.EnableResourceNameDnsAAAARecordOnLaunch) {
    const v = bool('EnableResourceNameDnsAAAARecordOnLaunch', input.EnableResourceNameDnsAAAARecordOnLaunch);
    changes.push(() => {
      s.enableResourceNameDnsAAAARecord = v;
    });
  }
  if (input.EnableLniAtDeviceIndex !== undefined || input.DisableLniAtDeviceIndex) {
    const index = input.EnableLniAtDeviceIndex;
    changes.push(() => {
      s.enableLniAtDeviceIndex = index;
    });
  }
  if (changes.length === 0) throw missingParameter('Attribute');
  if (changes.length > 1)
    throw invalidParameterCombination('Only one attribute can be modified in a single request.');
  changes[0]!();
  return {};
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateSubnetCidrBlock.html */
const associateSubnetCidrBlock: Handler<
  AssociateSubnetCidrBlockCommandInput,
  Out<AssociateSubnetCidrBlockCommandOutput>
> = (input, ctx) => {
  const s = subnets.get(ctx, input.SubnetId, 'SubnetId');
  if (!input.Ipv6CidrBlock) throw missingParameter('Ipv6CidrBlock');
  if (liveIpv6(s).length > 0)
    throw cidrBlockInUse(`The subnet ${s.id} already has an associated IPv6 CIDR block`);
  const cidr = checkIpv6Block(ctx, s.vpcId, input.Ipv6CidrBlock, s);
  const b: Ipv6Block = { associationId: newId('subnet-cidr-assoc'), cidr, state: 'associated' };
  s.ipv6Blocks.push(b);
  return {
    SubnetId: s.id,
    Ipv6CidrBlockAssociation: { ...ipv6Association(b), Ipv6CidrBlockState: { State: 'associating' } },
  };
};

/** An IPv6 block cannot go while the subnet assigns IPv6 addresses on creation, nor from an IPv6-only subnet. */
const disassociateSubnetCidrBlock: Handler<
  DisassociateSubnetCidrBlockCommandInput,
  Out<DisassociateSubnetCidrBlockCommandOutput>
> = (input, ctx) => {
  const id = input.AssociationId;
  if (!id) throw missingParameter('AssociationId');
  for (const s of subnets.list(ctx)) {
    const b = liveIpv6(s).find((x) => x.associationId === id);
    if (!b) continue;
    if (s.assignIpv6AddressOnCreation || s.ipv6Native)
      throw cidrBlockInUse(
        `The subnet IPv6 CIDR block with association ID ${id} may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.`,
      );
    b.state = 'disassociated';
    return {
      SubnetId: s.id,
      Ipv6CidrBlockAssociation: { ...ipv6Association(b), Ipv6CidrBlockState: { State: 'disassociating' } },
    };
  }
  throw subnetCidrAssociationNotFound(id);
};

// A VPC block keeps its subnets: DisassociateVpcCidrBlock refuses while one lies inside it.
onVpcBlockInUse((scope, vpc, cidr) => {
  const v4 = parseCidr(cidr);
  const v6 = v4 ? undefined : parseIpv6Cidr(cidr);
  for (const s of subnets.where(scope, (o) => o.vpcId === vpc.id)) {
    if (v4 && !s.ipv6Native && cidrContains(v4, s.cidr)) return true;
    if (v6 && liveIpv6(s).some((b) => ipv6Contains(v6, parseIpv6Cidr(b.cidr)!))) return true;
  }
  return false;
});

vpcs.blockedBy('subnets', (scope, vpc) => !subnets.where(scope, (s) => s.vpcId === vpc.id).next().done);

export const subnetHandlers: HandlerMap = {
  DescribeSubnets: subnets.describeHandler(
    (i: DescribeSubnetsCommandInput) => i.SubnetIds,
    'Subnets',
  ) satisfies Handler<DescribeSubnetsCommandInput, Out<DescribeSubnetsCommandOutput>>,
  CreateSubnet: createSubnet,
  DeleteSubnet: deleteSubnet,
  ModifySubnetAttribute: modifySubnetAttribute,
  AssociateSubnetCidrBlock: associateSubnetCidrBlock,
  DisassociateSubnetCidrBlock: disassociateSubnetCidrBlock,
};
