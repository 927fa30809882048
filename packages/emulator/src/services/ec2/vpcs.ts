import type {
  AssociateVpcCidrBlockCommandInput,
  AssociateVpcCidrBlockCommandOutput,
  CreateVpcCommandInput,
  CreateVpcCommandOutput,
  DeleteVpcCommandInput,
  DeleteVpcCommandOutput,
  DescribeVpcAttributeCommandInput,
  DescribeVpcAttributeCommandOutput,
  DescribeVpcsCommandInput,
  DescribeVpcsCommandOutput,
  DisassociateVpcCidrBlockCommandInput,
  DisassociateVpcCidrBlockCommandOutput,
  ModifyVpcAttributeCommandInput,
  ModifyVpcAttributeCommandOutput,
  ModifyVpcTenancyCommandInput,
  ModifyVpcTenancyCommandOutput,
  Vpc,
  VpcCidrBlockAssociation,
  VpcIpv6CidrBlockAssociation,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { type Cidr, cidrsOverlap, formatCidr, parseCidr } from './cidr';
import {
  checkDryRun,
  cidrBlockInUse,
  cidrInvalid,
  cidrLimitExceeded,
  idErrors,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  vpcCidrAssociationNotFound,
} from './errors';
import { newId } from './ids';
import { network } from './network-state';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';

/**
 * VPCs: create, describe, delete, attributes, tenancy and CIDR block associations. A new VPC gets its
 * main route table, default network ACL and default security group from the families that own them
 * (`onVpcCreated`), and loses them when deleted; anything else in it blocks DeleteVpc.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html
 */

interface CidrAssociation {
  associationId: string;
  cidr: string;
  state: 'associated' | 'disassociated';
}

export interface VpcRecord extends ResourceRecord {
  /** The primary IPv4 block. */
  cidr: Cidr;
  /** Every IPv4 block, the primary first. */
  cidrBlocks: CidrAssociation[];
  ipv6Blocks: CidrAssociation[];
  isDefault: boolean;
  dhcpOptionsId: string;
  tenancy: 'default' | 'dedicated';
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  enableNetworkAddressUsageMetrics: boolean;
}

const liveBlocks = (blocks: readonly CidrAssociation[]) => blocks.filter((b) => b.state === 'associated');

const ipv4Association = (b: CidrAssociation): VpcCidrBlockAssociation => ({
  AssociationId: b.associationId,
  CidrBlock: b.cidr,
  CidrBlockState: { State: b.state },
});

const ipv6Association = (region: Region, b: CidrAssociation): VpcIpv6CidrBlockAssociation => ({
  AssociationId: b.associationId,
  Ipv6CidrBlock: b.cidr,
  Ipv6CidrBlockState: { State: b.state },
  NetworkBorderGroup: region.name,
  Ipv6Pool: 'Amazon',
  Ipv6AddressAttribute: 'public',
  IpSource: 'amazon',
});

export const vpcs = defineFamily<VpcRecord, Vpc>({
  prefix: 'vpc',
  resourceType: 'vpc',
  errors: idErrors({
    notFound: 'InvalidVpcID.NotFound',
    malformed: 'InvalidVpcID.Malformed',
    noun: 'vpc',
    prefix: 'vpc',
  }),
  shape: (v, view) => ({
    VpcId: v.id,
    CidrBlock: formatCidr(v.cidr),
    State: 'available',
    DhcpOptionsId: v.dhcpOptionsId,
    InstanceTenancy: v.tenancy,
    IsDefault: v.isDefault,
    OwnerId: view.region.accountId,
    CidrBlockAssociationSet: liveBlocks(v.cidrBlocks).map(ipv4Association),
    Ipv6CidrBlockAssociationSet: liveBlocks(v.ipv6Blocks).map((b) => ipv6Association(view.region, b)),
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: view.tags(v.id),
  }),
  filters: (view) => ({
    'vpc-id': (v) => v.id,
    cidr: (v) => formatCidr(v.cidr),
    'cidr-block-association.cidr-block': (v) => liveBlocks(v.cidrBlocks).map((b) => b.cidr),
    'cidr-block-association.association-id': (v) => liveBlocks(v.cidrBlocks).map((b) => b.associationId),
    'cidr-block-association.state': (v) => liveBlocks(v.cidrBlocks).map((b) => b.state),
    'ipv6-cidr-block-association.ipv6-cidr-block': (v) => liveBlocks(v.ipv6Blocks).map((b) => b.cidr),
    'ipv6-cidr-block-association.association-id': (v) => liveBlocks(v.ipv6Blocks).map((b) => b.associationId),
    'ipv6-cidr-block-association.state': (v) => liveBlocks(v.ipv6Blocks).map((b) => b.state),
    'ipv6-cidr-block-association.ipv6-pool': (v) => liveBlocks(v.ipv6Blocks).map(() => 'Amazon'),
    'dhcp-options-id': (v) => v.dhcpOptionsId,
    'is-default': (v) => v.isDefault,
    'owner-id': () => view.region.accountId,
    state: () => 'available',
    'instance-tenancy': (v) => v.tenancy,
  }),
});

/** Compatibility reader for families that hold a region but no request. */
export function findVpc(region: Region, id: string): VpcRecord {
  return vpcs.get(scopeAt(region, 0), id, 'VpcId');
}

type VpcHook = (scope: Scope, vpc: VpcRecord) => void;
const created: VpcHook[] = [];
const deleted: VpcHook[] = [];

/** Families that own a VPC's defaults (main route table, default ACL, default group) create them here. */
export const onVpcCreated = (hook: VpcHook) => void created.push(hook);
/** …and remove them here, once DeleteVpc has found nothing else in the VPC. */
export const onVpcDeleted = (hook: VpcHook) => void deleted.push(hook);

/** The default DHCP options set of the region, which new VPCs use (set by the DHCP options family). */
let defaultDhcpOptions: (region: Region) => string = () => 'default';
export const useDefaultDhcpOptions = (f: (region: Region) => string) => {
  defaultDhcpOptions = f;
};

/** A VPC block is /16 to /28 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). */
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

/** Amazon-provided /56 blocks, one per request, from a documentation-looking slice of 2600:1f18::/32. */
function amazonIpv6Block(region: Region): string {
  const n = region.slot('ec2.ipv6Blocks', () => ({ next: 0x2a00 }));
  n.next += 1;
  return `2600:1f18:${n.next.toString(16)}:${((n.next * 7) & 0xff).toString(16)}00::/56`;
}

/** The fields of a new VPC. */
function vpcFields(
  region: Region,
  f: { cidr: Cidr; isDefault: boolean; tenancy: VpcRecord['tenancy']; ipv6?: boolean | undefined },
): Omit<VpcRecord, 'id' | 'seq'> {
  return {
    cidr: f.cidr,
    cidrBlocks: [{ associationId: newId('vpc-cidr-assoc'), cidr: formatCidr(f.cidr), state: 'associated' }],
    ipv6Blocks: f.ipv6
      ? [{ associationId: newId('vpc-cidr-assoc'), cidr: amazonIpv6Block(region), state: 'associated' }]
      : [],
    isDefault: f.isDefault,
    dhcpOptionsId: defaultDhcpOptions(region),
    tenancy: f.tenancy,
    enableDnsSupport: true,
    // Only the default VPC resolves public DNS hostnames out of the box.
    enableDnsHostnames: f.isDefault,
    enableNetworkAddressUsageMetrics: false,
  };
}

/** The default VPC of a region (the seed calls it), with the defaults every VPC gets. */
export function addDefaultVpc(scope: Scope, cidr: Cidr): VpcRecord {
  const v = vpcs.add(scope.region, {
    id: vpcs.newId(),
    ...vpcFields(scope.region, { cidr, isDefault: true, tenancy: 'default' }),
  });
  for (const hook of created) hook(scope, v);
  return v;
}

const createVpc: Handler<CreateVpcCommandInput, Out<CreateVpcCommandOutput>> = (input, ctx) => {
  const cidr = checkBlock(input.CidrBlock, 'CidrBlock', 'InvalidVpc.Range');
  const tenancy = input.InstanceTenancy ?? 'default';
  if (tenancy !== 'default' && tenancy !== 'dedicated')
    throw invalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid.`);
  const v = vpcs.create(ctx, input, () =>
    vpcFields(ctx.region, { cidr, isDefault: false, tenancy, ipv6: input.AmazonProvidedIpv6CidrBlock }),
  );
  for (const hook of created) hook(ctx, v);
  // A new VPC reads 'pending' in the CreateVpc answer and 'available' right after.
  return { Vpc: { ...vpcs.shape(ctx, v), State: 'pending' } };
};

const deleteVpc: Handler<DeleteVpcCommandInput, Out<DeleteVpcCommandOutput>> = (input, ctx) => {
  const v = vpcs.delete(ctx, input, input.VpcId, 'VpcId');
  for (const hook of deleted) hook(ctx, v);
  const net = network(ctx.region);
  if (net.defaultVpcId === v.id) net.defaultVpcId = '';
  return {};
};

type VpcAttribute = 'enableDnsSupport' | 'enableDnsHostnames' | 'enableNetworkAddressUsageMetrics';
const attributeNames: readonly VpcAttribute[] = [
  'enableDnsSupport',
  'enableDnsHostnames',
  'enableNetworkAddressUsageMetrics',
];

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcAttribute.html */
const describeVpcAttribute: Handler<
  DescribeVpcAttributeCommandInput,
  Out<DescribeVpcAttributeCommandOutput>
> = (input, ctx) => {
  if (!input.Attribute) throw missingParameter('Attribute');
  const v = vpcs.get(ctx, input.VpcId, 'VpcId');
  const name = input.Attribute as string as VpcAttribute;
  if (!attributeNames.includes(name))
    throw invalidParameterValue(
      `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  checkDryRun(input);
  const key = (name[0]!.toUpperCase() + name.slice(1)) as 'EnableDnsSupport';
  return { VpcId: v.id, [key]: { Value: v[name] } };
};

/** One attribute per call, as the reference says (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcAttribute.html). */
const modifyVpcAttribute: Handler<ModifyVpcAttributeCommandInput, Out<ModifyVpcAttributeCommandOutput>> = (
  input,
  ctx,
) => {
  const v = vpcs.get(ctx, input.VpcId, 'VpcId');
  const given = (
    [
      ['enableDnsSupport', input.EnableDnsSupport],
      ['enableDnsHostnames', input.EnableDnsHostnames],
      ['enableNetworkAddressUsageMetrics', input.EnableNetworkAddressUsageMetrics],
    ] as const
  ).filter(([, a]) => a !== undefined);
  if (given.length === 0) throw missingParameter('Attribute');
  if (given.length > 1)
    throw invalidParameterCombination(
      'Fields for multiple attribute types specified: ' + given.map((g) => g[0]).join(', '),
    );
  const [name, attr] = given[0]!;
  if (attr?.Value === undefined) throw missingParameter(`${name[0]!.toUpperCase()}${name.slice(1)}.Value`);
  // Hostnames need the Amazon DNS server: enabling them without DNS support is refused.
  if (name === 'enableDnsHostnames' && attr.Value && !v.enableDnsSupport)
    throw invalidParameterCombination(
      'enableDnsHostnames cannot be enabled when enableDnsSupport is disabled',
    );
  if (name === 'enableDnsSupport' && !attr.Value && v.enableDnsHostnames)
    throw invalidParameterCombination(
      'enableDnsSupport cannot be disabled when enableDnsHostnames is enabled',
    );
  v[name] = attr.Value;
  return {};
};

/** Only dedicated → default is possible (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcTenancy.html). */
const modifyVpcTenancy: Handler<ModifyVpcTenancyCommandInput, Out<ModifyVpcTenancyCommandOutput>> = (
  input,
  ctx,
) => {
  const v = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (!input.InstanceTenancy) throw missingParameter('InstanceTenancy');
  if (input.InstanceTenancy !== 'default')
    throw invalidParameterValue(`Value (${input.InstanceTenancy}) for parameter instanceTenancy is invalid.`);
  checkDryRun(input);
  v.tenancy = 'default';
  return { ReturnValue: true };
};

/** At most five IPv4 blocks per VPC (the default quota), none overlapping another. */
const MAX_IPV4_BLOCKS = 5;

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateVpcCidrBlock.html */
const associateVpcCidrBlock: Handler<
  AssociateVpcCidrBlockCommandInput,
  Out<AssociateVpcCidrBlockCommandOutput>
> = (input, ctx) => {
  const v = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (input.CidrBlock && input.AmazonProvidedIpv6CidrBlock)
    throw invalidParameterCombination('Only one of CidrBlock or AmazonProvidedIpv6CidrBlock may be given');
  if (input.AmazonProvidedIpv6CidrBlock) {
    if (liveBlocks(v.ipv6Blocks).length > 0)
      throw cidrLimitExceeded(`This network '${v.id}' has met its maximum number of allowed CIDRs: 1`);
    const b: CidrAssociation = {
      associationId: newId('vpc-cidr-assoc'),
      cidr: amazonIpv6Block(ctx.region),
      state: 'associated',
    };
    v.ipv6Blocks.push(b);
    return {
      VpcId: v.id,
      Ipv6CidrBlockAssociation: {
        ...ipv6Association(ctx.region, b),
        Ipv6CidrBlockState: { State: 'associating' },
      },
    };
  }
  const cidr = checkBlock(input.CidrBlock, 'CidrBlock', 'InvalidVpc.Range');
  const live = liveBlocks(v.cidrBlocks);
  if (live.length >= MAX_IPV4_BLOCKS)
    throw cidrLimitExceeded(
      `This network '${v.id}' has met its maximum number of allowed CIDRs: ${MAX_IPV4_BLOCKS}`,
    );
  for (const b of live)
    if (cidrsOverlap(parseCidr(b.cidr)!, cidr)) throw cidrInvalid('InvalidVpc.Range', input.CidrBlock!);
  const b: CidrAssociation = {
    associationId: newId('vpc-cidr-assoc'),
    cidr: formatCidr(cidr),
    state: 'associated',
  };
  v.cidrBlocks.push(b);
  return {
    VpcId: v.id,
    CidrBlockAssociation: { ...ipv4Association(b), CidrBlockState: { State: 'associating' } },
  };
};

/** Subnets say here whether a block still holds one (DisassociateVpcCidrBlock refuses then). */
const blockInUse: ((scope: Scope, vpc: VpcRecord, cidr: string) => boolean)[] = [];
export const onVpcBlockInUse = (rule: (scope: Scope, vpc: VpcRecord, cidr: string) => boolean) =>
  void blockInUse.push(rule);

/** The primary block cannot go, nor a block that still holds subnets. */
const disassociateVpcCidrBlock: Handler<
  DisassociateVpcCidrBlockCommandInput,
  Out<DisassociateVpcCidrBlockCommandOutput>
> = (input, ctx) => {
  if (!input.AssociationId) throw missingParameter('AssociationId');
  for (const v of vpcs.list(ctx)) {
    const v4 = liveBlocks(v.cidrBlocks).find((b) => b.associationId === input.AssociationId);
    const v6 = liveBlocks(v.ipv6Blocks).find((b) => b.associationId === input.AssociationId);
    const b = v4 ?? v6;
    if (!b) continue;
    if (v4 === v.cidrBlocks[0])
      throw invalidParameterValue(
        `The vpc CIDR block ${b.cidr} cannot be disassociated because it is the primary CIDR block.`,
      );
    if (blockInUse.some((inUse) => inUse(ctx, v, b.cidr)))
      throw cidrBlockInUse(`The vpc ${v.id} currently has a subnet within CIDR block ${b.cidr}`);
    b.state = 'disassociated';
    return v4
      ? {
          VpcId: v.id,
          CidrBlockAssociation: { ...ipv4Association(b), CidrBlockState: { State: 'disassociating' } },
        }
      : {
          VpcId: v.id,
          Ipv6CidrBlockAssociation: {
            ...ipv6Association(ctx.region, b),
            Ipv6CidrBlockState: { State: 'disassociating' },
          },
        };
  }
  throw vpcCidrAssociationNotFound(input.AssociationId);
};

export const vpcHandlers: HandlerMap = {
  DescribeVpcs: vpcs.describeHandler((i: DescribeVpcsCommandInput) => i.VpcIds, 'Vpcs') satisfies Handler<
    DescribeVpcsCommandInput,
    Out<DescribeVpcsCommandOutput>
  >,
  CreateVpc: createVpc,
  DeleteVpc: deleteVpc,
  DescribeVpcAttribute: describeVpcAttribute,
  ModifyVpcAttribute: modifyVpcAttribute,
  ModifyVpcTenancy: modifyVpcTenancy,
  AssociateVpcCidrBlock: associateVpcCidrBlock,
  DisassociateVpcCidrBlock: disassociateVpcCidrBlock,
};
