import type {
  AvailabilityZone,
  CreateSubnetCommandInput,
  CreateSubnetCommandOutput,
  CreateVpcCommandInput,
  CreateVpcCommandOutput,
  DeleteSubnetCommandInput,
  DeleteSubnetCommandOutput,
  DeleteVpcCommandInput,
  DeleteVpcCommandOutput,
  DescribeAvailabilityZonesCommandInput,
  DescribeAvailabilityZonesCommandOutput,
  DescribeRegionsCommandInput,
  DescribeRegionsCommandOutput,
  DescribeSubnetsCommandInput,
  DescribeSubnetsCommandOutput,
  DescribeVpcsCommandInput,
  DescribeVpcsCommandOutput,
  Region as RegionInfo,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { blockSize, type Cidr, cidrContains, cidrsOverlap, formatCidr, intToIp, parseCidr } from './cidr';
import {
  checkDryRun,
  cidrInvalid,
  dependencyViolation,
  insufficientFreeAddresses,
  invalidParameterValue,
  invalidRegion,
  invalidZone,
  malformedId,
  missingParameter,
  subnetConflict,
  subnetNotFound,
  vpcNotFound,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId, sequence } from './ids';
import { paginate } from './paging';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';

/** VPCs, subnets, zones and regions: the network every other family places its resources in. */

export interface VpcRecord {
  seq: number;
  id: string;
  cidr: Cidr;
  isDefault: boolean;
  dhcpOptionsId: string;
  cidrAssociationId: string;
  tenancy: string;
}

export interface SubnetRecord {
  seq: number;
  id: string;
  vpcId: string;
  cidr: Cidr;
  zone: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  /** The next host offset to hand out; AWS reserves the first four addresses and the last. */
  nextHost: number;
  /** Host offsets below nextHost given back by terminated instances, handed out again first. */
  released: number[];
}

interface NetworkState {
  seq: ReturnType<typeof sequence>;
  vpcs: Map<string, VpcRecord>;
  subnets: Map<string, SubnetRecord>;
  defaultVpcId: string;
  nextPublicIp: number;
}

/** The default VPC and its default subnets, as every account has them (172.31.0.0/16, one /20 per zone). */
export function network(region: Region): NetworkState {
  return region.slot('ec2.network', () => {
    const seq = sequence();
    const vpc: VpcRecord = {
      seq: seq.next(),
      id: newId('vpc'),
      cidr: parseCidr('172.31.0.0/16')!,
      isDefault: true,
      dhcpOptionsId: newId('dopt'),
      cidrAssociationId: newId('vpc-cidr-assoc'),
      tenancy: 'default',
    };
    const subnets = new Map<string, SubnetRecord>();
    region.zones.forEach((zone, i) => {
      const s: SubnetRecord = {
        seq: seq.next(),
        id: newId('subnet'),
        vpcId: vpc.id,
        cidr: { base: vpc.cidr.base + i * blockSize(20), prefix: 20 },
        zone,
        defaultForAz: true,
        mapPublicIpOnLaunch: true,
        nextHost: 4,
        released: [],
      };
      subnets.set(s.id, s);
    });
    // Public addresses come from a documentation-looking block of Amazon's range (3.80.0.0/12).
    return {
      seq,
      vpcs: new Map([[vpc.id, vpc]]),
      subnets,
      defaultVpcId: vpc.id,
      nextPublicIp: 0x03500000 + 10,
    };
  });
}

/** `use1-az1` for us-east-1a: the region's initials and the zone's position. */
export function zoneId(region: string, zone: string): string {
  const [area = '', dir = '', num = ''] = region.split('-');
  const d = dir
    .replace(/north/g, 'n')
    .replace(/south/g, 's')
    .replace(/east/g, 'e')
    .replace(/west/g, 'w')
    .replace(/central/g, 'c');
  return `${area}${d}${num}-az${zone.charCodeAt(zone.length - 1) - 96}`;
}

export function defaultSubnetFor(region: Region, zone: string): SubnetRecord {
  const net = network(region);
  for (const s of net.subnets.values()) if (s.vpcId === net.defaultVpcId && s.zone === zone) return s;
  throw invalidZone(zone);
}

export function findSubnet(region: Region, id: string): SubnetRecord {
  if (!isWellFormedId('subnet', id)) throw malformedId('InvalidSubnetID.Malformed', id, 'subnet');
  const s = network(region).subnets.get(id);
  if (!s) throw subnetNotFound(id);
  return s;
}

export function findVpc(region: Region, id: string): VpcRecord {
  if (!isWellFormedId('vpc', id)) throw malformedId('InvalidVpcID.Malformed', id, 'vpc');
  const v = network(region).vpcs.get(id);
  if (!v) throw vpcNotFound(id);
  return v;
}

export function checkZone(region: Region, zone: string): void {
  if (!region.zones.includes(zone)) throw invalidZone(zone);
}

/** How many private addresses a subnet can still hand out. */
export const freeAddresses = (s: SubnetRecord) =>
  blockSize(s.cidr.prefix) - 1 - s.nextHost + s.released.length;

const usedAddresses = (s: SubnetRecord) => s.nextHost - 4 - s.released.length;

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

export function allocatePublicIp(region: Region): string {
  const net = network(region);
  net.nextPublicIp += 1 + (net.nextPublicIp % 7);
  return intToIp(net.nextPublicIp);
}

/** EC2's DNS names: us-east-1 has its own historic domains (ec2.internal, compute-1). */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1'
    ? `${host}.compute-1.amazonaws.com`
    : `${host}.${region}.compute.amazonaws.com`;
}

/** Other families say here what keeps a VPC or subnet from being deleted (instances, groups). */
type DependentCheck = (region: Region, ref: { vpcId?: string; subnetId?: string }, now: number) => boolean;
const dependents: DependentCheck[] = [];
export function registerNetworkDependent(check: DependentCheck): void {
  dependents.push(check);
}

function vpcShape(region: Region, v: VpcRecord): Vpc {
  return {
    VpcId: v.id,
    CidrBlock: formatCidr(v.cidr),
    State: 'available',
    DhcpOptionsId: v.dhcpOptionsId,
    InstanceTenancy: v.tenancy as Vpc['InstanceTenancy'],
    IsDefault: v.isDefault,
    OwnerId: region.accountId,
    CidrBlockAssociationSet: [
      {
        AssociationId: v.cidrAssociationId,
        CidrBlock: formatCidr(v.cidr),
        CidrBlockState: { State: 'associated' },
      },
    ],
    Tags: tagsOf(region, v.id),
  };
}

function subnetShape(region: Region, s: SubnetRecord): Subnet {
  return {
    SubnetId: s.id,
    VpcId: s.vpcId,
    CidrBlock: formatCidr(s.cidr),
    AvailabilityZone: s.zone,
    AvailabilityZoneId: zoneId(region.name, s.zone),
    AvailableIpAddressCount: blockSize(s.cidr.prefix) - 5 - usedAddresses(s),
    DefaultForAz: s.defaultForAz,
    MapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    State: 'available',
    OwnerId: region.accountId,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    SubnetArn: `arn:aws:ec2:${region.name}:${region.accountId}:subnet/${s.id}`,
    Tags: tagsOf(region, s.id),
  };
}

const vpcFilters: FilterTable<VpcRecord> = {
  'vpc-id': (v) => v.id,
  cidr: (v) => formatCidr(v.cidr),
  'cidr-block-association.cidr-block': (v) => formatCidr(v.cidr),
  'cidr-block-association.association-id': (v) => v.cidrAssociationId,
  'cidr-block-association.state': () => 'associated',
  'dhcp-options-id': (v) => v.dhcpOptionsId,
  'is-default': (v) => v.isDefault,
  state: () => 'available',
  'instance-tenancy': (v) => v.tenancy,
};

const subnetFilters = (region: Region): FilterTable<SubnetRecord> => ({
  'subnet-id': (s) => s.id,
  'vpc-id': (s) => s.vpcId,
  'availability-zone': (s) => s.zone,
  'availability-zone-id': (s) => zoneId(region.name, s.zone),
  'available-ip-address-count': (s) => blockSize(s.cidr.prefix) - 5 - usedAddresses(s),
  'cidr-block': (s) => formatCidr(s.cidr),
  cidr: (s) => formatCidr(s.cidr),
  cidrBlock: (s) => formatCidr(s.cidr),
  'default-for-az': (s) => s.defaultForAz,
  defaultForAz: (s) => s.defaultForAz,
  'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
  'owner-id': () => region.accountId,
  state: () => 'available',
  'subnet-arn': (s) => `arn:aws:ec2:${region.name}:${region.accountId}:subnet/${s.id}`,
});

function* filtered<T>(items: Iterable<T>, keep: (t: T) => boolean): Generator<T> {
  for (const t of items) if (keep(t)) yield t;
}

const describeVpcs: Handler<DescribeVpcsCommandInput, Out<DescribeVpcsCommandOutput>> = (input, ctx) => {
  const net = network(ctx.region);
  const tags = tagReader(ctx.region);
  const keep = compileFilters<VpcRecord>(
    input.Filters,
    { ...vpcFilters, 'owner-id': () => ctx.region.accountId },
    (v) => tags(v.id),
  );
  const source = input.VpcIds?.length ? input.VpcIds.map((id) => findVpc(ctx.region, id)) : net.vpcs.values();
  const page = paginate(filtered(source, keep), input, { min: 5, max: 1000 });
  return { Vpcs: page.items.map((v) => vpcShape(ctx.region, v)), NextToken: page.nextToken };
};

const describeSubnets: Handler<DescribeSubnetsCommandInput, Out<DescribeSubnetsCommandOutput>> = (
  input,
  ctx,
) => {
  const net = network(ctx.region);
  const tags = tagReader(ctx.region);
  const keep = compileFilters(input.Filters, subnetFilters(ctx.region), (s) => tags(s.id));
  const source = input.SubnetIds?.length
    ? input.SubnetIds.map((id) => findSubnet(ctx.region, id))
    : net.subnets.values();
  const page = paginate(filtered(source, keep), input, { min: 5, max: 1000 });
  return { Subnets: page.items.map((s) => subnetShape(ctx.region, s)), NextToken: page.nextToken };
};

/** A VPC block must be between /16 and /28 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). */
function checkBlock(
  cidr: string | undefined,
  param: string,
  rangeCode: 'InvalidVpc.Range' | 'InvalidSubnet.Range',
): Cidr {
  if (!cidr) throw missingParameter(param);
  const c = parseCidr(cidr);
  if (!c)
    throw invalidParameterValue(
      `Value (${cidr}) for parameter ${param} is invalid. This is not a valid CIDR block.`,
    );
  if (c.prefix < 16 || c.prefix > 28) throw cidrInvalid(rangeCode, cidr);
  return c;
}

const createVpc: Handler<CreateVpcCommandInput, Out<CreateVpcCommandOutput>> = (input, ctx) => {
  const cidr = checkBlock(input.CidrBlock, 'cidrBlock', 'InvalidVpc.Range');
  const tags = tagsFromSpecifications(input.TagSpecifications, ['vpc']);
  checkDryRun(input);
  const net = network(ctx.region);
  const v: VpcRecord = {
    seq: net.seq.next(),
    id: newId('vpc'),
    cidr,
    isDefault: false,
    dhcpOptionsId: newId('dopt'),
    cidrAssociationId: newId('vpc-cidr-assoc'),
    tenancy: input.InstanceTenancy ?? 'default',
  };
  net.vpcs.set(v.id, v);
  setTags(ctx.region, v.id, tags.get('vpc') ?? []);
  // A new VPC starts 'pending' in the CreateVpc answer and is 'available' right after.
  return { Vpc: { ...vpcShape(ctx.region, v), State: 'pending' } };
};

const deleteVpc: Handler<DeleteVpcCommandInput, Out<DeleteVpcCommandOutput>> = (input, ctx) => {
  if (!input.VpcId) throw missingParameter('VpcId');
  const v = findVpc(ctx.region, input.VpcId);
  const net = network(ctx.region);
  const hasSubnet = [...net.subnets.values()].some((s) => s.vpcId === v.id);
  if (hasSubnet || dependents.some((d) => d(ctx.region, { vpcId: v.id }, ctx.clock.now())))
    throw dependencyViolation(`The vpc '${v.id}' has dependencies and cannot be deleted.`);
  checkDryRun(input);
  net.vpcs.delete(v.id);
  dropTags(ctx.region, v.id);
  if (net.defaultVpcId === v.id) net.defaultVpcId = '';
  return {};
};

const createSubnet: Handler<CreateSubnetCommandInput, Out<CreateSubnetCommandOutput>> = (input, ctx) => {
  if (!input.VpcId) throw missingParameter('VpcId');
  const vpc = findVpc(ctx.region, input.VpcId);
  const cidr = checkBlock(input.CidrBlock, 'cidrBlock', 'InvalidSubnet.Range');
  const net = network(ctx.region);
  if (!cidrContains(vpc.cidr, cidr)) throw cidrInvalid('InvalidSubnet.Range', input.CidrBlock!);
  for (const s of net.subnets.values())
    if (s.vpcId === vpc.id && cidrsOverlap(s.cidr, cidr)) throw subnetConflict(input.CidrBlock!);
  let zone = input.AvailabilityZone;
  if (!zone && input.AvailabilityZoneId)
    zone = ctx.region.zones.find((z) => zoneId(ctx.region.name, z) === input.AvailabilityZoneId);
  zone ??= ctx.region.zones[0]!;
  checkZone(ctx.region, zone);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['subnet']);
  checkDryRun(input);
  const s: SubnetRecord = {
    seq: net.seq.next(),
    id: newId('subnet'),
    vpcId: vpc.id,
    cidr,
    zone,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    nextHost: 4,
    released: [],
  };
  net.subnets.set(s.id, s);
  setTags(ctx.region, s.id, tags.get('subnet') ?? []);
  return { Subnet: subnetShape(ctx.region, s) };
};

const deleteSubnet: Handler<DeleteSubnetCommandInput, Out<DeleteSubnetCommandOutput>> = (input, ctx) => {
  if (!input.SubnetId) throw missingParameter('SubnetId');
  const s = findSubnet(ctx.region, input.SubnetId);
  if (dependents.some((d) => d(ctx.region, { subnetId: s.id }, ctx.clock.now())))
    throw dependencyViolation(`The subnet '${s.id}' has dependencies and cannot be deleted.`);
  checkDryRun(input);
  network(ctx.region).subnets.delete(s.id);
  dropTags(ctx.region, s.id);
  return {};
};

const describeAvailabilityZones: Handler<
  DescribeAvailabilityZonesCommandInput,
  Out<DescribeAvailabilityZonesCommandOutput>
> = (input, ctx) => {
  const r = ctx.region.name;
  const zones: AvailabilityZone[] = ctx.region.zones.map((z) => ({
    ZoneName: z,
    ZoneId: zoneId(r, z),
    RegionName: r,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    GroupName: r,
    NetworkBorderGroup: r,
    ZoneType: 'availability-zone',
    GroupLongName: r,
  }));
  for (const n of input.ZoneNames ?? []) if (!ctx.region.zones.includes(n)) throw invalidZone(n);
  const keep = compileFilters<AvailabilityZone>(input.Filters, {
    'zone-name': (z) => z.ZoneName,
    'zone-id': (z) => z.ZoneId,
    'region-name': (z) => z.RegionName,
    state: (z) => z.State,
    'opt-in-status': (z) => z.OptInStatus,
    'group-name': (z) => z.GroupName,
    'network-border-group': (z) => z.NetworkBorderGroup,
    'zone-type': (z) => z.ZoneType,
  });
  const AvailabilityZones = zones.filter(
    (z) =>
      keep(z) &&
      (!input.ZoneNames?.length || input.ZoneNames.includes(z.ZoneName!)) &&
      (!input.ZoneIds?.length || input.ZoneIds.includes(z.ZoneId!)),
  );
  return { AvailabilityZones };
};

/** The commercial regions that need no opt-in. */
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

const describeRegions: Handler<DescribeRegionsCommandInput, Out<DescribeRegionsCommandOutput>> = (input) => {
  for (const n of input.RegionNames ?? []) if (!REGIONS.includes(n)) throw invalidRegion(n);
  const all: RegionInfo[] = REGIONS.map((RegionName) => ({
    RegionName,
    Endpoint: `ec2.${RegionName}.amazonaws.com`,
    OptInStatus: 'opt-in-not-required',
  }));
  const keep = compileFilters<RegionInfo>(input.Filters, {
    'region-name': (r) => r.RegionName,
    endpoint: (r) => r.Endpoint,
    'opt-in-status': (r) => r.OptInStatus,
  });
  return {
    Regions: all.filter(
      (r) => keep(r) && (!input.RegionNames?.length || input.RegionNames.includes(r.RegionName!)),
    ),
  };
};

registerTaggable('vpc', { resourceType: 'vpc', check: (region, id) => void findVpc(region, id) });
registerTaggable('subnet', { resourceType: 'subnet', check: (region, id) => void findSubnet(region, id) });

export const networkHandlers: HandlerMap = {
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeRegions: describeRegions,
  CreateVpc: createVpc,
  DeleteVpc: deleteVpc,
  CreateSubnet: createSubnet,
  DeleteSubnet: deleteSubnet,
};
