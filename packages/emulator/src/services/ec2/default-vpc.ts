import type {
  CreateDefaultSubnetCommandInput,
  CreateDefaultSubnetCommandOutput,
  CreateDefaultVpcCommandInput,
  CreateDefaultVpcCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { blockSize, type Cidr, cidrsOverlap, parseCidr } from './cidr';
import { checkDryRun } from './errors';
import { attach, internetGateways } from './internet-gateways';
import { network } from './network-state';
import { registerRegionSeed, type Scope, scopeAt } from './resource-family';
import { addDefaultRoute } from './route-tables';
import { addDefaultSubnet, subnets } from './subnets';
import { addDefaultVpc, vpcs } from './vpcs';
import { checkZone, zoneId } from './zones-regions';

/**
 * The default VPC every account has in every region: 172.31.0.0/16 with one default /20 subnet per
 * zone that maps public addresses on launch. Creating it runs the same hooks as CreateVpc and
 * CreateSubnet, so it gets its main route table, default network ACL and default security group the
 * way any VPC does; the internet gateway is attached and the main table routes 0.0.0.0/0 to it.
 * CreateDefaultVpc and CreateDefaultSubnet make them again after they were deleted.
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html#default-vpc-components
 */
const DEFAULT_CIDR = parseCidr('172.31.0.0/16')!;

/** The first free /20 of the default VPC, trying the zone's own slot first. */
function freeBlock(scope: Scope, vpcId: string, preferred: number): Cidr | undefined {
  const taken = subnets
    .list(scope)
    .filter((s) => s.vpcId === vpcId)
    .map((s) => s.cidr);
  const slots = blockSize(16) / blockSize(20);
  for (let k = 0; k < slots; k++) {
    const i = (preferred + k) % slots;
    const c = { base: DEFAULT_CIDR.base + i * blockSize(20), prefix: 20 };
    if (!taken.some((t) => cidrsOverlap(t, c))) return c;
  }
  return undefined;
}

function addZoneSubnet(scope: Scope, vpcId: string, zone: string) {
  const cidr = freeBlock(scope, vpcId, scope.region.zones.indexOf(zone));
  if (!cidr)
    throw new AwsError('InsufficientCidrBlocks', 'There are no free /20 blocks left in the default VPC.');
  return addDefaultSubnet(scope, { vpcId, cidr, zone, defaultForAz: true, mapPublicIpOnLaunch: true });
}

function makeDefaultVpc(scope: Scope) {
  const vpc = addDefaultVpc(scope, DEFAULT_CIDR);
  network(scope.region).defaultVpcId = vpc.id;
  const igw = internetGateways.add(scope.region, { id: internetGateways.newId(), vpcId: undefined });
  attach(igw, vpc);
  addDefaultRoute(scope.region, vpc.id, igw.id);
  for (const zone of scope.region.zones) addZoneSubnet(scope, vpc.id, zone);
  return vpc;
}

registerRegionSeed((region) => void makeDefaultVpc(scopeAt(region, 0)));

const createDefaultVpc: Handler<CreateDefaultVpcCommandInput, Out<CreateDefaultVpcCommandOutput>> = (
  input,
  ctx,
) => {
  if (network(ctx.region).defaultVpcId)
    throw new AwsError(
      'DefaultVpcAlreadyExists',
      'A Default VPC already exists for this account in this region.',
    );
  checkDryRun(input);
  return { Vpc: vpcs.shape(ctx, makeDefaultVpc(ctx)) };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDefaultSubnet.html */
const createDefaultSubnet: Handler<CreateDefaultSubnetCommandInput, Out<CreateDefaultSubnetCommandOutput>> = (
  input,
  ctx,
) => {
  const zone =
    input.AvailabilityZone ??
    ctx.region.zones.find((z) => zoneId(ctx.region.name, z) === input.AvailabilityZoneId) ??
    input.AvailabilityZoneId;
  if (!zone)
    throw new AwsError('MissingParameter', 'The request must contain the parameter AvailabilityZone');
  checkZone(ctx.region, zone);
  const vpcId = network(ctx.region).defaultVpcId;
  if (!vpcId)
    throw new AwsError('DefaultVpcDoesNotExist', 'No default VPC exists for this account in this region.');
  if (subnets.list(ctx).some((s) => s.vpcId === vpcId && s.defaultForAz && s.zone === zone))
    throw new AwsError(
      'DefaultSubnetAlreadyExistsInAvailabilityZone',
      `A default subnet already exists in availability zone ${zone}.`,
    );
  if (!freeBlock(ctx, vpcId, ctx.region.zones.indexOf(zone)))
    throw new AwsError('InsufficientCidrBlocks', 'There are no free /20 blocks left in the default VPC.');
  checkDryRun(input);
  return { Subnet: subnets.shape(ctx, addZoneSubnet(ctx, vpcId, zone)) };
};

export const defaultVpcHandlers: HandlerMap = {
  CreateDefaultVpc: createDefaultVpc,
  CreateDefaultSubnet: createDefaultSubnet,
};
