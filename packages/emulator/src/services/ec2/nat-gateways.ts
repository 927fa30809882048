import type {
  AssignPrivateNatGatewayAddressCommandInput,
  AssignPrivateNatGatewayAddressCommandOutput,
  AssociateNatGatewayAddressCommandInput,
  AssociateNatGatewayAddressCommandOutput,
  CreateNatGatewayCommandInput,
  CreateNatGatewayCommandOutput,
  DeleteNatGatewayCommandInput,
  DeleteNatGatewayCommandOutput,
  DescribeNatGatewaysCommandInput,
  DescribeNatGatewaysCommandOutput,
  DisassociateNatGatewayAddressCommandInput,
  DisassociateNatGatewayAddressCommandOutput,
  NatGateway,
  NatGatewayAddressStatus,
  NatGatewayState,
  UnassignPrivateNatGatewayAddressCommandInput,
  UnassignPrivateNatGatewayAddressCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { registerAddressUser, takeableAllocation } from './addresses';
import { blockSize, ipToInt } from './cidr';
import {
  checkDryRun,
  idErrors,
  insufficientFreeAddresses,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { newId } from './ids';
import { blockIgwDetachWhen, gatewayOfVpc } from './internet-gateways';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { allocatePrivateIp, freeAddresses, subnets } from './subnets';
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
  /** Secondary addresses (AssociateNatGatewayAddress, AssignPrivateNatGatewayAddress). */
  secondary: SecondaryAddress[];
}

interface SecondaryAddress {
  allocationId?: string | undefined;
  publicIp?: string | undefined;
  associationId?: string | undefined;
  privateIp: string;
}

/** Addresses per NAT gateway, the primary included (the default quota). */
const MAX_ADDRESSES = 8;

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
      ...n.secondary.map((a) => ({
        AllocationId: a.allocationId,
        PublicIp: a.publicIp,
        AssociationId: a.associationId,
        NetworkInterfaceId: n.networkInterfaceId,
        PrivateIp: a.privateIp,
        IsPrimary: false,
        Status: 'succeeded' as const,
        AvailabilityZone: n.zone,
        AvailabilityZoneId: zoneId(view.region.name, n.zone),
      })),
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
    secondary: [],
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
  for (const n of natGateways.list(scopeAt(region, now))) {
    if (!holdsAddress(n)) continue;
    if (n.allocationId === allocationId)
      return {
        associationId: n.associationId!,
        networkInterfaceId: n.networkInterfaceId,
        privateIp: n.privateIp,
      };
    const a = n.secondary.find((x) => x.allocationId === allocationId);
    if (a)
      return {
        associationId: a.associationId!,
        networkInterfaceId: n.networkInterfaceId,
        privateIp: a.privateIp,
      };
  }
  return undefined;
});

/** A gateway that takes address changes: available, and public or private as the action needs. */
function changeable(
  scope: Scope,
  id: string | undefined,
  connectivity: 'public' | 'private',
): NatGatewayRecord {
  const n = natGateways.get(scope, id, 'NatGatewayId');
  if (n.state !== 'available')
    throw new AwsError('InvalidNatGatewayState', `NAT gateway ${n.id} is ${n.state}`);
  if (n.connectivity !== connectivity)
    throw invalidParameterValue(
      `This operation applies to ${connectivity} NAT gateways; ${n.id} is ${n.connectivity}.`,
    );
  return n;
}

/** Private addresses for new secondary addresses: the ones asked for (free in the subnet), or the next ones. */
function privateIps(
  scope: Scope,
  n: NatGatewayRecord,
  asked: readonly string[] | undefined,
  count: number,
): string[] {
  const subnet = subnets.get(scope, n.subnetId, 'SubnetId');
  if (asked?.length) {
    if (asked.length !== count)
      throw invalidParameterValue('Give one private address per Elastic IP, or none.');
    const used = new Set([n.privateIp, ...n.secondary.map((a) => a.privateIp)]);
    for (const ip of asked) {
      const v = ipToInt(ip);
      if (v === undefined || v < subnet.cidr.base || v >= subnet.cidr.base + blockSize(subnet.cidr.prefix))
        throw invalidParameterValue(`The address ${ip} is not in subnet ${subnet.id}.`);
      if (used.has(ip)) throw invalidParameterValue(`The address ${ip} is already in use.`);
    }
    return [...asked];
  }
  if (freeAddresses(subnet) < count) throw insufficientFreeAddresses(subnet.id);
  return Array.from({ length: count }, () => allocatePrivateIp(subnet));
}

const checkRoom = (n: NatGatewayRecord, more: number) => {
  if (1 + n.secondary.length + more > MAX_ADDRESSES)
    throw new AwsError(
      'NatGatewayLimitExceeded',
      `A NAT gateway can have at most ${MAX_ADDRESSES} addresses.`,
    );
};

const addressShape = (n: NatGatewayRecord, a: SecondaryAddress, Status: NatGatewayAddressStatus) => ({
  AllocationId: a.allocationId,
  PublicIp: a.publicIp,
  AssociationId: a.associationId,
  NetworkInterfaceId: n.networkInterfaceId,
  PrivateIp: a.privateIp,
  IsPrimary: false,
  Status,
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateNatGatewayAddress.html */
const associateNatGatewayAddress: Handler<
  AssociateNatGatewayAddressCommandInput,
  Out<AssociateNatGatewayAddressCommandOutput>
> = (input, ctx) => {
  const n = changeable(ctx, input.NatGatewayId, 'public');
  const ids = input.AllocationIds ?? [];
  if (ids.length === 0) throw missingParameter('AllocationId');
  if (new Set(ids).size !== ids.length) throw invalidParameterValue('An allocation id is given twice.');
  checkRoom(n, ids.length);
  const addresses = ids.map((id) => takeableAllocation(ctx.region, id, ctx.clock.now()));
  if (input.PrivateIpAddresses?.length && input.PrivateIpAddresses.length !== ids.length)
    throw invalidParameterValue('Give one private address per Elastic IP, or none.');
  checkDryRun(input);
  const ips = privateIps(ctx, n, input.PrivateIpAddresses, ids.length);
  const added = addresses.map((a, i) => ({ ...a, associationId: newId('eipassoc'), privateIp: ips[i]! }));
  n.secondary.push(...added);
  return { NatGatewayId: n.id, NatGatewayAddresses: added.map((a) => addressShape(n, a, 'associating')) };
};

/** Secondary Elastic IPs leave at once (the emulator has no connections to drain); the primary stays. */
const disassociateNatGatewayAddress: Handler<
  DisassociateNatGatewayAddressCommandInput,
  Out<DisassociateNatGatewayAddressCommandOutput>
> = (input, ctx) => {
  const n = changeable(ctx, input.NatGatewayId, 'public');
  const ids = input.AssociationIds ?? [];
  if (ids.length === 0) throw missingParameter('AssociationId');
  const leaving = ids.map((id) => {
    if (id === n.associationId)
      throw invalidParameterValue('The primary address of a NAT gateway cannot be disassociated.');
    const a = n.secondary.find((x) => x.associationId === id);
    if (!a) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);
    return a;
  });
  checkDryRun(input);
  n.secondary = n.secondary.filter((a) => !leaving.includes(a));
  return {
    NatGatewayId: n.id,
    NatGatewayAddresses: leaving.map((a) => addressShape(n, a, 'disassociating')),
  };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssignPrivateNatGatewayAddress.html */
const assignPrivateNatGatewayAddress: Handler<
  AssignPrivateNatGatewayAddressCommandInput,
  Out<AssignPrivateNatGatewayAddressCommandOutput>
> = (input, ctx) => {
  const n = changeable(ctx, input.NatGatewayId, 'private');
  if (input.PrivateIpAddresses?.length && input.PrivateIpAddressCount !== undefined)
    throw invalidParameterValue('Give PrivateIpAddresses or PrivateIpAddressCount, not both.');
  const count = input.PrivateIpAddresses?.length || input.PrivateIpAddressCount || 0;
  if (count < 1) throw missingParameter('PrivateIpAddressCount');
  checkRoom(n, count);
  checkDryRun(input);
  const added = privateIps(ctx, n, input.PrivateIpAddresses, count).map((privateIp) => ({ privateIp }));
  n.secondary.push(...added);
  return { NatGatewayId: n.id, NatGatewayAddresses: added.map((a) => addressShape(n, a, 'assigning')) };
};

const unassignPrivateNatGatewayAddress: Handler<
  UnassignPrivateNatGatewayAddressCommandInput,
  Out<UnassignPrivateNatGatewayAddressCommandOutput>
> = (input, ctx) => {
  const n = changeable(ctx, input.NatGatewayId, 'private');
  const ips = input.PrivateIpAddresses ?? [];
  if (ips.length === 0) throw missingParameter('PrivateIpAddress');
  const leaving = ips.map((ip) => {
    if (ip === n.privateIp)
      throw invalidParameterValue('The primary address of a NAT gateway cannot be unassigned.');
    const a = n.secondary.find((x) => x.privateIp === ip);
    if (!a) throw invalidParameterValue(`The address ${ip} is not assigned to ${n.id}.`);
    return a;
  });
  checkDryRun(input);
  n.secondary = n.secondary.filter((a) => !leaving.includes(a));
  return { NatGatewayId: n.id, NatGatewayAddresses: leaving.map((a) => addressShape(n, a, 'unassigning')) };
};

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
  AssociateNatGatewayAddress: associateNatGatewayAddress,
  DisassociateNatGatewayAddress: disassociateNatGatewayAddress,
  AssignPrivateNatGatewayAddress: assignPrivateNatGatewayAddress,
  UnassignPrivateNatGatewayAddress: unassignPrivateNatGatewayAddress,
  DescribeNatGateways: natGateways.describeHandler(
    (i: DescribeNatGatewaysCommandInput) => i.NatGatewayIds,
    'NatGateways',
  ) satisfies Handler<DescribeNatGatewaysCommandInput, Out<DescribeNatGatewaysCommandOutput>>,
};
