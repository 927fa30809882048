import type {
  CreateSubnetCommandInput,
  CreateSubnetCommandOutput,
  DeleteSubnetCommandInput,
  DeleteSubnetCommandOutput,
  DescribeSubnetsCommandInput,
  DescribeSubnetsCommandOutput,
  Subnet,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { blockSize, cidrContains, cidrsOverlap, formatCidr, intToIp } from './cidr';
import {
  checkDryRun,
  cidrInvalid,
  dependencyViolation,
  insufficientFreeAddresses,
  invalidZone,
  malformedId,
  missingParameter,
  subnetConflict,
  subnetNotFound,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId } from './ids';
import { dependents, network, type SubnetRecord } from './network-state';
import { paginate } from './paging';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';
import { checkBlock, filtered, findVpc } from './vpcs';
import { checkZone, zoneId } from './zones-regions';

/** Subnets and the private addresses they hand out. */

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

registerTaggable('subnet', { resourceType: 'subnet', check: (region, id) => void findSubnet(region, id) });

export const subnetHandlers: HandlerMap = {
  DescribeSubnets: describeSubnets,
  CreateSubnet: createSubnet,
  DeleteSubnet: deleteSubnet,
};
