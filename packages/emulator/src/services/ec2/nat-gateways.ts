import type {
  CreateNatGatewayCommandInput,
  CreateNatGatewayCommandOutput,
  DeleteNatGatewayCommandInput,
  DeleteNatGatewayCommandOutput,
  DescribeNatGatewaysCommandInput,
  DescribeNatGatewaysCommandOutput,
  NatGateway,
  NatGatewayState,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { registerAddressUser, takeableAllocation } from './addresses';
import { checkDryRun, idErrors, invalidParameterValue, missingParameter } from './errors';
import { newId } from './ids';
import { blockIgwDetachWhen, gatewayOfVpc } from './internet-gateways';
import { defineFamily, type ResourceRecord, scopeAt } from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { allocatePrivateIp, subnets } from './subnets';
import { zoneId } from './zones-regions';

/**
 * NAT gateways, public (with an Elastic IP; the VPC needs an internet gateway) and private. A new one
 * is `pending` for the `pending` delay, then `available` (or `failed` with AWS's failure code when the
 * VPC has no internet gateway); DeleteNatGateway makes it `deleting`, then `deleted` after the same
 * delay, and it stays listed as deleted for an hour, as in AWS. Its Elastic IP is held until then.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
 */
export interface NatGatewayRecord extends ResourceRecord {
  vpcId: string;
  subnetId: string;
  zone: string;
  connectivity: 'public' | 'private';
  allocationId?: string | undefined;
  publicIp?: string | undefined;
  associationId?: string | undefined;
  privateIp: string;
  networkInterfaceId: string;
  created: number;
  state: NatGatewayState;
  /** When the current transitional state settles. */
  settlesAt: number;
  /** What `pending` settles into. */
  outcome: 'available' | 'failed';
  deleted?: number | undefined;
}

/** How long a deleted NAT gateway stays in DescribeNatGateways. */
const DELETED_VISIBLE_MS = 60 * 60_000;

const holdsAddress = (n: NatGatewayRecord) => n.state !== 'deleted' && n.state !== 'failed';

export const natGateways = defineFamily<NatGatewayRecord, NatGateway>({
  prefix: 'nat',
  resourceType: 'natgateway',
  errors: idErrors({
    notFound: 'NatGatewayNotFound',
    malformed: 'NatGatewayMalformed',
    noun: 'natGateway',
    prefix: 'nat',
    notFoundMessage: (ids) => `NAT gateway ${ids.join(', ')} was not found`,
  }),
  settle(n, now) {
    if (n.state === 'pending' && now >= n.settlesAt) n.state = n.outcome;
    if (n.state === 'deleting' && now >= n.settlesAt) {
      n.state = 'deleted';
      n.deleted = n.settlesAt;
    }
    return !(n.state === 'deleted' && now >= n.deleted! + DELETED_VISIBLE_MS);
  },
  shape: (n, view) => ({
    NatGatewayId: n.id,
    VpcId: n.vpcId,
    SubnetId: n.subnetId,
    State: n.state,
    ConnectivityType: n.connectivity,
    CreateTime: new Date(n.created),
    DeleteTime: n.deleted !== undefined ? new Date(n.deleted) : undefined,
    FailureCode: n.state === 'failed' ? 'Gateway.NotAttached' : undefined,
    FailureMessage: n.state === 'failed' ? `Network ${n.vpcId} has no Internet gateway attached` : undefined,
    NatGatewayAddresses: [
      {
        AllocationId: n.allocationId,
        PublicIp: n.publicIp,
        AssociationId: n.publicIp ? n.associationId : undefined,
        NetworkInterfaceId: n.networkInterfaceId,
        PrivateIp: n.privateIp,
        IsPrimary: true,
        Status:
          n.state === 'available'
            ? 'succeeded'
            : n.state === 'failed'
              ? 'failed'
              : n.state === 'pending'
                ? 'associating'
                : 'disassociating',
        AvailabilityZone: n.zone,
        AvailabilityZoneId: zoneId(view.region.name, n.zone),
      },
    ],
    Tags: view.tags(n.id),
  }),
  filters: () => ({
    'nat-gateway-id': (n) => n.id,
    state: (n) => n.state,
    'subnet-id': (n) => n.subnetId,
    'vpc-id': (n) => n.vpcId,
  }),
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html */
const createNatGateway: Handler<CreateNatGatewayCommandInput, Out<CreateNatGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const subnet = subnets.get(ctx, input.SubnetId, 'SubnetId');
  const connectivity = input.ConnectivityType ?? 'public';
  if (connectivity !== 'public' && connectivity !== 'private')
    throw invalidParameterValue(`Value (${connectivity}) for parameter connectivityType is invalid.`);
  let address: { allocationId: string; publicIp: string } | undefined;
  if (connectivity === 'public') {
    if (!input.AllocationId) throw missingParameter('AllocationId');
    address = takeableAllocation(ctx.region, input.AllocationId, now);
  } else if (input.AllocationId) {
    throw invalidParameterValue('A private NAT gateway cannot have an Elastic IP address.');
  }
  const outcome = connectivity === 'private' || gatewayOfVpc(ctx, subnet.vpcId) ? 'available' : 'failed';
  // The interface's address is taken last, once nothing else can fail.
  const n = natGateways.create(ctx, input, () => ({
    vpcId: subnet.vpcId,
    subnetId: subnet.id,
    zone: subnet.zone,
    connectivity,
    allocationId: address?.allocationId,
    publicIp: address?.publicIp,
    associationId: address ? newId('eipassoc') : undefined,
    privateIp: input.PrivateIpAddress ?? allocatePrivateIp(subnet),
    networkInterfaceId: newId('eni'),
    created: now,
    state: 'pending',
    settlesAt: now + ctx.delays.pending,
    outcome,
  }));
  return { NatGateway: natGateways.shape(ctx, n), ClientToken: input.ClientToken };
};

const deleteNatGateway: Handler<DeleteNatGatewayCommandInput, Out<DeleteNatGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const n = natGateways.get(ctx, input.NatGatewayId, 'NatGatewayId');
  if (n.state === 'deleting' || n.state === 'deleted')
    throw new AwsError('InvalidNatGatewayState', `NAT gateway ${n.id} is already ${n.state}`);
  checkDryRun(input);
  n.state = 'deleting';
  n.settlesAt = ctx.clock.now() + ctx.delays.pending;
  return { NatGatewayId: n.id };
};

registerAddressUser((region, allocationId, now) => {
  for (const n of natGateways.list(scopeAt(region, now)))
    if (n.allocationId === allocationId && holdsAddress(n))
      return {
        associationId: n.associationId!,
        networkInterfaceId: n.networkInterfaceId,
        privateIp: n.privateIp,
      };
  return undefined;
});

registerRouteTarget('nat', {
  check(scope, id, vpc) {
    const n = natGateways.get(scope, id, 'NatGatewayId');
    if (n.vpcId !== vpc.id) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id) => natGateways.find(scope, id)?.state === 'available',
});

// A NAT gateway keeps its subnet, and a public one its VPC's internet gateway, until it is deleted.
subnets.blockedBy('NAT gateways', (scope, s) =>
  natGateways.list(scope).some((n) => n.subnetId === s.id && n.state !== 'deleted'),
);
blockIgwDetachWhen((scope, vpc) =>
  natGateways
    .list(scope)
    .some((n) => n.vpcId === vpc.id && n.connectivity === 'public' && n.state === 'available'),
);

export const natGatewayHandlers: HandlerMap = {
  CreateNatGateway: createNatGateway,
  DeleteNatGateway: deleteNatGateway,
  DescribeNatGateways: natGateways.describeHandler(
    (i: DescribeNatGatewaysCommandInput) => i.NatGatewayIds,
    'NatGateways',
  ) satisfies Handler<DescribeNatGatewaysCommandInput, Out<DescribeNatGatewaysCommandOutput>>,
};
