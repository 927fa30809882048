import type {
  AcceptVpcPeeringConnectionCommandInput,
  AcceptVpcPeeringConnectionCommandOutput,
  CreateVpcPeeringConnectionCommandInput,
  CreateVpcPeeringConnectionCommandOutput,
  DeleteVpcPeeringConnectionCommandInput,
  DeleteVpcPeeringConnectionCommandOutput,
  DescribeVpcPeeringConnectionsCommandInput,
  DescribeVpcPeeringConnectionsCommandOutput,
  ModifyVpcPeeringConnectionOptionsCommandInput,
  ModifyVpcPeeringConnectionOptionsCommandOutput,
  RejectVpcPeeringConnectionCommandInput,
  RejectVpcPeeringConnectionCommandOutput,
  VpcPeeringConnection,
  VpcPeeringConnectionStateReasonCode,
  VpcPeeringConnectionVpcInfo,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { cidrsOverlap, parseCidr } from './cidr';
import { checkDryRun, idErrors, invalidParameterValue } from './errors';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { onVpcDeleted, type VpcRecord, vpcs } from './vpcs';

/**
 * VPC peering connections within one account and region: `pending-acceptance` until accepted
 * (`active`), rejected or deleted, or until it expires after seven days; overlapping CIDR blocks make
 * it `failed`. Ended connections stay listed for two hours. Deleting a VPC deletes its connections.
 * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
 */
export interface PeeringRecord extends ResourceRecord {
  /** AllowDnsResolutionFromRemoteVpc, per side. */
  requesterDns: boolean;
  accepterDns: boolean;
  requesterVpcId: string;
  accepterVpcId: string;
  /** Snapshots of both VPCs' blocks, so a deleted VPC still reads in the connection. */
  requesterCidr: string;
  accepterCidr: string;
  state: VpcPeeringConnectionStateReasonCode;
  message: string;
  expires: number;
  endedAt?: number | undefined;
}

const WEEK_MS = 7 * 24 * 60 * 60_000;
const ENDED_VISIBLE_MS = 2 * 60 * 60_000;
const ended = new Set<string>(['deleted', 'rejected', 'failed', 'expired']);

const vpcInfo = (region: Region, vpcId: string, cidr: string, dns: boolean): VpcPeeringConnectionVpcInfo => ({
  VpcId: vpcId,
  PeeringOptions: {
    AllowDnsResolutionFromRemoteVpc: dns,
    AllowEgressFromLocalClassicLinkToRemoteVpc: false,
    AllowEgressFromLocalVpcToRemoteClassicLink: false,
  },
  OwnerId: region.accountId,
  CidrBlock: cidr,
  CidrBlockSet: [{ CidrBlock: cidr }],
  Region: region.name,
});

export const peerings = defineFamily<PeeringRecord, VpcPeeringConnection>({
  prefix: 'pcx',
  resourceType: 'vpc-peering-connection',
  errors: idErrors({
    notFound: 'InvalidVpcPeeringConnectionID.NotFound',
    malformed: 'InvalidVpcPeeringConnectionId.Malformed',
    noun: 'vpcPeeringConnection',
    prefix: 'pcx',
  }),
  settle(p, now) {
    if (p.state === 'pending-acceptance' && now >= p.expires) end(p, 'expired', 'Expired', p.expires);
    return !(p.endedAt !== undefined && now >= p.endedAt + ENDED_VISIBLE_MS);
  },
  shape: (p, view) => ({
    VpcPeeringConnectionId: p.id,
    RequesterVpcInfo: vpcInfo(view.region, p.requesterVpcId, p.requesterCidr, p.requesterDns),
    AccepterVpcInfo: vpcInfo(view.region, p.accepterVpcId, p.accepterCidr, p.accepterDns),
    Status: { Code: p.state, Message: p.message },
    ExpirationTime: p.state === 'pending-acceptance' ? new Date(p.expires) : undefined,
    Tags: view.tags(p.id),
  }),
  filters: (view) => ({
    'vpc-peering-connection-id': (p) => p.id,
    'status-code': (p) => p.state,
    'status-message': (p) => p.message,
    'expiration-time': (p) => new Date(p.expires),
    'requester-vpc-info.vpc-id': (p) => p.requesterVpcId,
    'requester-vpc-info.cidr-block': (p) => p.requesterCidr,
    'requester-vpc-info.owner-id': () => view.region.accountId,
    'accepter-vpc-info.vpc-id': (p) => p.accepterVpcId,
    'accepter-vpc-info.cidr-block': (p) => p.accepterCidr,
    'accepter-vpc-info.owner-id': () => view.region.accountId,
  }),
});

function end(
  p: PeeringRecord,
  state: VpcPeeringConnectionStateReasonCode,
  message: string,
  at: number,
): void {
  p.state = state;
  p.message = message;
  p.endedAt = at;
}

const primary = (v: VpcRecord) => v.cidrBlocks[0]!.cidr;

const stateTransition = (p: PeeringRecord) =>
  new AwsError(
    'InvalidStateTransition',
    `Invalid state transition for pcx ${p.id}, attempted to transition from ${p.state}`,
  );

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html */
const create: Handler<
  CreateVpcPeeringConnectionCommandInput,
  Out<CreateVpcPeeringConnectionCommandOutput>
> = (input, ctx) => {
  const requester = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (input.PeerRegion && input.PeerRegion !== ctx.region.name)
    throw invalidParameterValue('The emulator peers VPCs within one region only.');
  if (input.PeerOwnerId && input.PeerOwnerId !== ctx.region.accountId)
    throw invalidParameterValue('The emulator peers VPCs within one account only.');
  const accepter = vpcs.get(ctx, input.PeerVpcId, 'PeerVpcId');
  if (accepter.id === requester.id)
    throw invalidParameterValue('A VPC peering connection needs two different VPCs.');
  const now = ctx.clock.now();
  const overlap = cidrsOverlap(parseCidr(primary(requester))!, parseCidr(primary(accepter))!);
  const p = peerings.create(ctx, input, () => ({
    requesterVpcId: requester.id,
    accepterVpcId: accepter.id,
    requesterCidr: primary(requester),
    requesterDns: false,
    accepterDns: false,
    accepterCidr: primary(accepter),
    state: overlap ? 'failed' : 'pending-acceptance',
    message: overlap ? 'Overlapping CIDR range' : `Pending Acceptance by ${ctx.region.accountId}`,
    expires: now + WEEK_MS,
    endedAt: overlap ? now : undefined,
  }));
  // CreateVpcPeeringConnection answers 'initiating-request'; a read right after says where it went.
  return {
    VpcPeeringConnection: {
      ...peerings.shape(ctx, p),
      Status: overlap
        ? { Code: 'failed', Message: p.message }
        : { Code: 'initiating-request', Message: `Initiating Request to ${ctx.region.accountId}` },
    },
  };
};

const accept: Handler<
  AcceptVpcPeeringConnectionCommandInput,
  Out<AcceptVpcPeeringConnectionCommandOutput>
> = (input, ctx) => {
  const p = peerings.get(ctx, input.VpcPeeringConnectionId, 'VpcPeeringConnectionId');
  if (p.state !== 'pending-acceptance') throw stateTransition(p);
  checkDryRun(input);
  p.state = 'active';
  p.message = 'Active';
  return { VpcPeeringConnection: peerings.shape(ctx, p) };
};

const reject: Handler<
  RejectVpcPeeringConnectionCommandInput,
  Out<RejectVpcPeeringConnectionCommandOutput>
> = (input, ctx) => {
  const p = peerings.get(ctx, input.VpcPeeringConnectionId, 'VpcPeeringConnectionId');
  if (p.state !== 'pending-acceptance') throw stateTransition(p);
  checkDryRun(input);
  end(p, 'rejected', `Rejected by ${ctx.region.accountId}`, ctx.clock.now());
  return { Return: true };
};

/** Either side may delete a pending or active connection. */
const remove: Handler<
  DeleteVpcPeeringConnectionCommandInput,
  Out<DeleteVpcPeeringConnectionCommandOutput>
> = (input, ctx) => {
  const p = peerings.get(ctx, input.VpcPeeringConnectionId, 'VpcPeeringConnectionId');
  if (ended.has(p.state)) throw stateTransition(p);
  checkDryRun(input);
  end(p, 'deleted', `Deleted by ${ctx.region.accountId}`, ctx.clock.now());
  return { Return: true };
};

/** Options apply to an active connection only (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcPeeringConnectionOptions.html). */
const modifyOptions: Handler<
  ModifyVpcPeeringConnectionOptionsCommandInput,
  Out<ModifyVpcPeeringConnectionOptionsCommandOutput>
> = (input, ctx) => {
  const p = peerings.get(ctx, input.VpcPeeringConnectionId, 'VpcPeeringConnectionId');
  if (p.state !== 'active')
    throw new AwsError(
      'OperationNotPermitted',
      `Peering connection ${p.id} is not active; its options cannot be modified.`,
    );
  const sides = [input.RequesterPeeringConnectionOptions, input.AccepterPeeringConnectionOptions];
  if (sides.every((o) => o === undefined))
    throw invalidParameterValue('No peering connection options were given.');
  for (const o of sides)
    if (o?.AllowEgressFromLocalClassicLinkToRemoteVpc || o?.AllowEgressFromLocalVpcToRemoteClassicLink)
      throw new AwsError('OperationNotPermitted', 'EC2-Classic and ClassicLink are retired.');
  checkDryRun(input);
  const dns = (o: (typeof sides)[number], current: boolean) => o?.AllowDnsResolutionFromRemoteVpc ?? current;
  p.requesterDns = dns(input.RequesterPeeringConnectionOptions, p.requesterDns);
  p.accepterDns = dns(input.AccepterPeeringConnectionOptions, p.accepterDns);
  const out = (v: boolean) => ({
    AllowDnsResolutionFromRemoteVpc: v,
    AllowEgressFromLocalClassicLinkToRemoteVpc: false,
    AllowEgressFromLocalVpcToRemoteClassicLink: false,
  });
  return {
    RequesterPeeringConnectionOptions: input.RequesterPeeringConnectionOptions
      ? out(p.requesterDns)
      : undefined,
    AccepterPeeringConnectionOptions: input.AccepterPeeringConnectionOptions ? out(p.accepterDns) : undefined,
  };
};

onVpcDeleted((scope: Scope, vpc) => {
  for (const p of peerings.list(scope))
    if (!ended.has(p.state) && (p.requesterVpcId === vpc.id || p.accepterVpcId === vpc.id))
      end(p, 'deleted', `Deleted by ${scope.region.accountId}`, scope.clock.now());
});

registerRouteTarget('pcx', {
  check(scope, id, vpc) {
    const p = peerings.get(scope, id, 'VpcPeeringConnectionId');
    if (p.requesterVpcId !== vpc.id && p.accepterVpcId !== vpc.id) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id) => peerings.find(scope, id)?.state === 'active',
});

export const vpcPeeringHandlers: HandlerMap = {
  CreateVpcPeeringConnection: create,
  AcceptVpcPeeringConnection: accept,
  RejectVpcPeeringConnection: reject,
  DeleteVpcPeeringConnection: remove,
  ModifyVpcPeeringConnectionOptions: modifyOptions,
  DescribeVpcPeeringConnections: peerings.describeHandler(
    (i: DescribeVpcPeeringConnectionsCommandInput) => i.VpcPeeringConnectionIds,
    'VpcPeeringConnections',
  ) satisfies Handler<
    DescribeVpcPeeringConnectionsCommandInput,
    Out<DescribeVpcPeeringConnectionsCommandOutput>
  >,
};
