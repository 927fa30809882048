import type {
  CreateVpcCommandInput,
  CreateVpcCommandOutput,
  DeleteVpcCommandInput,
  DeleteVpcCommandOutput,
  DescribeVpcsCommandInput,
  DescribeVpcsCommandOutput,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { type Cidr, formatCidr, parseCidr } from './cidr';
import {
  checkDryRun,
  cidrInvalid,
  dependencyViolation,
  invalidParameterValue,
  malformedId,
  missingParameter,
  vpcNotFound,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId } from './ids';
import { dependents, network, type VpcRecord } from './network-state';
import { paginate } from './paging';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';

/** VPCs: CreateVpc, DescribeVpcs, DeleteVpc. */

export function findVpc(region: Region, id: string): VpcRecord {
  if (!isWellFormedId('vpc', id)) throw malformedId('InvalidVpcID.Malformed', id, 'vpc');
  const v = network(region).vpcs.get(id);
  if (!v) throw vpcNotFound(id);
  return v;
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

export function* filtered<T>(items: Iterable<T>, keep: (t: T) => boolean): Generator<T> {
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

/** A VPC block must be between /16 and /28 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). */
export function checkBlock(
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

registerTaggable('vpc', { resourceType: 'vpc', check: (region, id) => void findVpc(region, id) });

export const vpcHandlers: HandlerMap = {
  DescribeVpcs: describeVpcs,
  CreateVpc: createVpc,
  DeleteVpc: deleteVpc,
};
