import type {
  AcceptTransitGatewayVpcAttachmentCommandInput,
  AcceptTransitGatewayVpcAttachmentCommandOutput,
  CreateTransitGatewayVpcAttachmentCommandInput,
  CreateTransitGatewayVpcAttachmentCommandOutput,
  DeleteTransitGatewayVpcAttachmentCommandInput,
  DeleteTransitGatewayVpcAttachmentCommandOutput,
  DescribeTransitGatewayAttachmentsCommandInput,
  DescribeTransitGatewayAttachmentsCommandOutput,
  DescribeTransitGatewayVpcAttachmentsCommandInput,
  DescribeTransitGatewayVpcAttachmentsCommandOutput,
  ModifyTransitGatewayVpcAttachmentCommandInput,
  ModifyTransitGatewayVpcAttachmentCommandOutput,
  RejectTransitGatewayVpcAttachmentCommandInput,
  RejectTransitGatewayVpcAttachmentCommandOutput,
  TransitGatewayAttachment,
  TransitGatewayAttachmentState,
  TransitGatewayVpcAttachment,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, idErrors, incorrectState, invalidParameterValue, missingParameter } from './errors';
import { compileFilters } from './filters';
import { paginate } from './paging';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  type Scope,
  settleLifecycle,
  viewOf,
} from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { type SubnetRecord, subnets } from './subnets';
import { liveTransitGateway, transitGatewayHooks, transitGateways } from './transit-gateways';
import { vpcs } from './vpcs';

/**
 * Transit gateway VPC attachments: one subnet per zone, `pending` then `available` on the clock,
 * `deleting` then `deleted` (listed for an hour). Within one account they need no acceptance; the
 * route-table family associates and propagates new ones to the gateway's default table.
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
 */
export interface TgwAttachmentRecord extends ResourceRecord, Lifecycle<TransitGatewayAttachmentState> {
  transitGatewayId: string;
  vpcId: string;
  subnetIds: string[];
  created: number;
  dns: 'enable' | 'disable';
  ipv6: 'enable' | 'disable';
  applianceMode: 'enable' | 'disable';
  sgReferencing: 'enable' | 'disable';
}

const HOUR = 60 * 60_000;

/** What the route-table family keeps of an attachment: its association (shown in DescribeTransitGatewayAttachments). */
export const attachmentHooks = {
  created: (_scope: Scope, _a: TgwAttachmentRecord) => {},
  deleted: (_scope: Scope, _a: TgwAttachmentRecord) => {},
  association: (_scope: Scope, _a: TgwAttachmentRecord): string | undefined => undefined,
};

export const tgwAttachments = defineFamily<TgwAttachmentRecord, TransitGatewayVpcAttachment>({
  prefix: 'tgw-attach',
  resourceType: 'transit-gateway-attachment',
  errors: idErrors({
    notFound: 'InvalidTransitGatewayAttachmentID.NotFound',
    malformed: 'InvalidTransitGatewayAttachmentID.Malformed',
    noun: 'transitGatewayAttachment',
    prefix: 'tgw-attach',
  }),
  settle: settleLifecycle,
  shape: (a, view) => ({
    TransitGatewayAttachmentId: a.id,
    TransitGatewayId: a.transitGatewayId,
    VpcId: a.vpcId,
    VpcOwnerId: view.region.accountId,
    State: a.state,
    SubnetIds: a.subnetIds,
    CreationTime: new Date(a.created),
    Options: {
      DnsSupport: a.dns,
      Ipv6Support: a.ipv6,
      ApplianceModeSupport: a.applianceMode,
      SecurityGroupReferencingSupport: a.sgReferencing,
    },
    Tags: view.tags(a.id),
  }),
  filters: (view) => ({
    'transit-gateway-attachment-id': (a) => a.id,
    'transit-gateway-id': (a) => a.transitGatewayId,
    'vpc-id': (a) => a.vpcId,
    state: (a) => a.state,
    'vpc-owner-id': () => view.region.accountId,
  }),
});

const alive = (a: TgwAttachmentRecord) =>
  a.state !== 'deleted' && a.state !== 'deleting' && a.state !== 'rejected';

/** Attachments of a gateway that keep it from deletion. */
transitGatewayHooks.hasAttachments = (scope, g) =>
  tgwAttachments.list(scope).some((a) => a.transitGatewayId === g.id && alive(a));

/** The attachment a VPC has to a gateway, if any. */
export const attachmentOfVpc = (scope: Scope, tgwId: string, vpcId: string) =>
  tgwAttachments.list(scope).find((a) => a.transitGatewayId === tgwId && a.vpcId === vpcId && alive(a));

const onOff = (v: string | undefined, name: string, fallback: 'enable' | 'disable') => {
  if (v === undefined) return fallback;
  if (v !== 'enable' && v !== 'disable')
    throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid.`);
  return v;
};

/** Subnets of the VPC, one per zone (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html). */
function checkSubnets(scope: Scope, vpcId: string, ids: readonly string[]): SubnetRecord[] {
  const zones = new Set<string>();
  return ids.map((id) => {
    const s = subnets.get(scope, id, 'SubnetIds');
    if (s.vpcId !== vpcId) throw invalidParameterValue(`The subnet ${s.id} does not belong to vpc ${vpcId}`);
    if (zones.has(s.zone))
      throw new AwsError('DuplicateSubnetsInSameZone', `Duplicate Subnets for same AZ: ${s.zone}`);
    zones.add(s.zone);
    return s;
  });
}

const create: Handler<
  CreateTransitGatewayVpcAttachmentCommandInput,
  Out<CreateTransitGatewayVpcAttachmentCommandOutput>
> = (input, ctx) => {
  const g = liveTransitGateway(ctx, input.TransitGatewayId);
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (!input.SubnetIds?.length) throw missingParameter('SubnetIds');
  const list = checkSubnets(ctx, vpc.id, input.SubnetIds);
  if (attachmentOfVpc(ctx, g.id, vpc.id))
    throw new AwsError(
      'DuplicateTransitGatewayAttachment',
      `${g.id} has non-deleted Transit Gateway Attachments with same VPC ID.`,
    );
  const o = input.Options ?? {};
  const now = ctx.clock.now();
  const fields = {
    transitGatewayId: g.id,
    vpcId: vpc.id,
    subnetIds: list.map((s) => s.id),
    created: now,
    dns: onOff(o.DnsSupport, 'dnsSupport', 'enable'),
    ipv6: onOff(o.Ipv6Support, 'ipv6Support', 'disable'),
    applianceMode: onOff(o.ApplianceModeSupport, 'applianceModeSupport', 'disable'),
    sgReferencing: onOff(o.SecurityGroupReferencingSupport, 'securityGroupReferencingSupport', 'enable'),
    state: 'pending' as TransitGatewayAttachmentState,
  };
  const a = tgwAttachments.create(ctx, input, () => fields);
  moveTo(a, now, 'pending', { state: 'available', delay: ctx.delays.pending });
  attachmentHooks.created(ctx, a);
  return { TransitGatewayVpcAttachment: tgwAttachments.shape(ctx, a) };
};

const modify: Handler<
  ModifyTransitGatewayVpcAttachmentCommandInput,
  Out<ModifyTransitGatewayVpcAttachmentCommandOutput>
> = (input, ctx) => {
  const a = tgwAttachments.get(ctx, input.TransitGatewayAttachmentId, 'TransitGatewayAttachmentId');
  if (a.state !== 'available') throw incorrectState(`${a.id} is in invalid state`);
  const kept = a.subnetIds.filter((s) => !(input.RemoveSubnetIds ?? []).includes(s));
  const next = checkSubnets(ctx, a.vpcId, [...kept, ...(input.AddSubnetIds ?? [])]);
  if (next.length === 0) throw invalidParameterValue('An attachment needs at least one subnet.');
  const o = input.Options ?? {};
  const options = {
    dns: onOff(o.DnsSupport, 'dnsSupport', a.dns),
    ipv6: onOff(o.Ipv6Support, 'ipv6Support', a.ipv6),
    applianceMode: onOff(o.ApplianceModeSupport, 'applianceModeSupport', a.applianceMode),
    sgReferencing: onOff(
      o.SecurityGroupReferencingSupport,
      'securityGroupReferencingSupport',
      a.sgReferencing,
    ),
  };
  checkDryRun(input);
  Object.assign(a, options);
  a.subnetIds = next.map((s) => s.id);
  return { TransitGatewayVpcAttachment: tgwAttachments.shape(ctx, a) };
};

const remove: Handler<
  DeleteTransitGatewayVpcAttachmentCommandInput,
  Out<DeleteTransitGatewayVpcAttachmentCommandOutput>
> = (input, ctx) => {
  const a = tgwAttachments.get(ctx, input.TransitGatewayAttachmentId, 'TransitGatewayAttachmentId');
  if (!alive(a)) throw incorrectState(`${a.id} is in invalid state`);
  checkDryRun(input);
  moveTo(a, ctx.clock.now(), 'deleting', { state: 'deleted', delay: ctx.delays.pending, visibleFor: HOUR });
  attachmentHooks.deleted(ctx, a);
  return { TransitGatewayVpcAttachment: tgwAttachments.shape(ctx, a) };
};

/** Only cross-account attachments wait for acceptance; within one account there is none to accept. */
function acceptance(accept: boolean) {
  return (
    input: AcceptTransitGatewayVpcAttachmentCommandInput | RejectTransitGatewayVpcAttachmentCommandInput,
    ctx: Scope,
  ) => {
    const a = tgwAttachments.get(ctx, input.TransitGatewayAttachmentId, 'TransitGatewayAttachmentId');
    if (a.state !== 'pendingAcceptance')
      throw incorrectState(
        `${a.id} is in invalid state ${a.state} to be ${accept ? 'accepted' : 'rejected'}`,
      );
    checkDryRun(input);
    return { TransitGatewayVpcAttachment: tgwAttachments.shape(ctx, a) };
  };
}

/** Every kind of attachment, as DescribeTransitGatewayAttachments lists them (VPC attachments here). */
const describeAll: Handler<
  DescribeTransitGatewayAttachmentsCommandInput,
  Out<DescribeTransitGatewayAttachmentsCommandOutput>
> = (input, ctx) => {
  const view = viewOf(ctx);
  const source = input.TransitGatewayAttachmentIds?.length
    ? tgwAttachments.getMany(ctx, input.TransitGatewayAttachmentIds)
    : tgwAttachments.list(ctx);
  const shape = (a: TgwAttachmentRecord): TransitGatewayAttachment => {
    const table = attachmentHooks.association(ctx, a);
    return {
      TransitGatewayAttachmentId: a.id,
      TransitGatewayId: a.transitGatewayId,
      TransitGatewayOwnerId: ctx.region.accountId,
      ResourceOwnerId: ctx.region.accountId,
      ResourceType: 'vpc',
      ResourceId: a.vpcId,
      State: a.state,
      Association: table ? { TransitGatewayRouteTableId: table, State: 'associated' } : undefined,
      CreationTime: new Date(a.created),
      Tags: view.tags(a.id),
    };
  };
  const keep = compileFilters<TransitGatewayAttachment>(
    input.Filters,
    {
      'transit-gateway-attachment-id': (x) => x.TransitGatewayAttachmentId,
      'transit-gateway-id': (x) => x.TransitGatewayId,
      'transit-gateway-owner-id': (x) => x.TransitGatewayOwnerId,
      'resource-id': (x) => x.ResourceId,
      'resource-owner-id': (x) => x.ResourceOwnerId,
      'resource-type': (x) => x.ResourceType,
      state: (x) => x.State,
      'association.state': (x) => x.Association?.State,
      'association.transit-gateway-route-table-id': (x) => x.Association?.TransitGatewayRouteTableId,
    },
    (x) => x.Tags,
  );
  const rows = source.map((a) => ({ seq: a.seq, x: shape(a) })).filter((r) => keep(r.x));
  const page = paginate(rows, input, { min: 5, max: 1000 });
  checkDryRun(input);
  return { TransitGatewayAttachments: page.items.map((r) => r.x), NextToken: page.nextToken };
};

// VPC route tables may send traffic to a gateway the VPC is attached to.
registerRouteTarget('tgw', {
  check(scope, id, vpc) {
    const g = transitGateways.get(scope, id, 'TransitGatewayId');
    if (!attachmentOfVpc(scope, g.id, vpc.id)) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id, vpcId) => attachmentOfVpc(scope, id, vpcId)?.state === 'available',
});
vpcs.blockedBy('transit gateway attachments', (scope, vpc) =>
  tgwAttachments.list(scope).some((a) => a.vpcId === vpc.id && alive(a)),
);
subnets.blockedBy('transit gateway attachments', (scope, s) =>
  tgwAttachments.list(scope).some((a) => a.subnetIds.includes(s.id) && alive(a)),
);

export const transitGatewayAttachmentHandlers: HandlerMap = {
  CreateTransitGatewayVpcAttachment: create,
  ModifyTransitGatewayVpcAttachment: modify,
  DeleteTransitGatewayVpcAttachment: remove,
  AcceptTransitGatewayVpcAttachment: acceptance(true) as Handler<
    AcceptTransitGatewayVpcAttachmentCommandInput,
    Out<AcceptTransitGatewayVpcAttachmentCommandOutput>
  >,
  RejectTransitGatewayVpcAttachment: acceptance(false) as Handler<
    RejectTransitGatewayVpcAttachmentCommandInput,
    Out<RejectTransitGatewayVpcAttachmentCommandOutput>
  >,
  DescribeTransitGatewayVpcAttachments: tgwAttachments.describeHandler(
    (i: DescribeTransitGatewayVpcAttachmentsCommandInput) => i.TransitGatewayAttachmentIds,
    'TransitGatewayVpcAttachments',
  ) satisfies Handler<
    DescribeTransitGatewayVpcAttachmentsCommandInput,
    Out<DescribeTransitGatewayVpcAttachmentsCommandOutput>
  >,
  DescribeTransitGatewayAttachments: describeAll,
};
