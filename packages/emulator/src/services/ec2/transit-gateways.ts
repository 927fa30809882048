import type {
  CreateTransitGatewayCommandInput,
  CreateTransitGatewayCommandOutput,
  DeleteTransitGatewayCommandInput,
  DeleteTransitGatewayCommandOutput,
  DescribeTransitGatewaysCommandInput,
  DescribeTransitGatewaysCommandOutput,
  ModifyTransitGatewayCommandInput,
  ModifyTransitGatewayCommandOutput,
  TransitGateway,
  TransitGatewayState,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { parseCidr, parseIpv6Cidr } from './cidr';
import { checkDryRun, idErrors, incorrectState, invalidParameterValue } from './errors';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  type Scope,
  settleLifecycle,
} from './resource-family';

/**
 * Transit gateways: `pending` then `available` on the clock. With default association and
 * propagation (the default), one is created with its default route table, which new attachments are
 * associated with and propagate to (transit-gateway-route-tables.ts). Deleting needs every
 * attachment gone; deleted gateways stay listed for an hour.
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html
 */
export interface TransitGatewayRecord extends ResourceRecord, Lifecycle<TransitGatewayState> {
  description?: string | undefined;
  created: number;
  asn: number;
  autoAccept: 'enable' | 'disable';
  defaultAssociation: 'enable' | 'disable';
  defaultPropagation: 'enable' | 'disable';
  associationTableId?: string | undefined;
  propagationTableId?: string | undefined;
  vpnEcmp: 'enable' | 'disable';
  dns: 'enable' | 'disable';
  sgReferencing: 'enable' | 'disable';
  multicast: 'enable' | 'disable';
  cidrBlocks: string[];
}

const HOUR = 60 * 60_000;

export const transitGateways = defineFamily<TransitGatewayRecord, TransitGateway>({
  prefix: 'tgw',
  resourceType: 'transit-gateway',
  errors: idErrors({
    notFound: 'InvalidTransitGatewayID.NotFound',
    malformed: 'InvalidTransitGatewayID.Malformed',
    noun: 'transitGateway',
    prefix: 'tgw',
  }),
  settle: settleLifecycle,
  shape: (g, view) => ({
    TransitGatewayId: g.id,
    TransitGatewayArn: `arn:aws:ec2:${view.region.name}:${view.region.accountId}:transit-gateway/${g.id}`,
    State: g.state,
    OwnerId: view.region.accountId,
    Description: g.description,
    CreationTime: new Date(g.created),
    Options: {
      AmazonSideAsn: g.asn,
      TransitGatewayCidrBlocks: g.cidrBlocks.length ? g.cidrBlocks : undefined,
      AutoAcceptSharedAttachments: g.autoAccept,
      DefaultRouteTableAssociation: g.defaultAssociation,
      AssociationDefaultRouteTableId: g.associationTableId,
      DefaultRouteTablePropagation: g.defaultPropagation,
      PropagationDefaultRouteTableId: g.propagationTableId,
      VpnEcmpSupport: g.vpnEcmp,
      DnsSupport: g.dns,
      SecurityGroupReferencingSupport: g.sgReferencing,
      MulticastSupport: g.multicast,
    },
    Tags: view.tags(g.id),
  }),
  filters: (view) => ({
    'transit-gateway-id': (g) => g.id,
    state: (g) => g.state,
    'owner-id': () => view.region.accountId,
    'options.amazon-side-asn': (g) => g.asn,
    'options.association-default-route-table-id': (g) => g.associationTableId,
    'options.auto-accept-shared-attachments': (g) => g.autoAccept,
    'options.default-route-table-association': (g) => g.defaultAssociation,
    'options.default-route-table-propagation': (g) => g.defaultPropagation,
    'options.dns-support': (g) => g.dns,
    'options.propagation-default-route-table-id': (g) => g.propagationTableId,
    'options.vpn-ecmp-support': (g) => g.vpnEcmp,
  }),
});

/** A live (not deleting or deleted) gateway, or its NotFound / IncorrectState. */
export function liveTransitGateway(scope: Scope, id: string | undefined, param = 'TransitGatewayId') {
  const g = transitGateways.get(scope, id, param);
  if (g.state === 'deleted') throw transitGateways.spec.errors.notFound([g.id]);
  if (g.state === 'deleting') throw incorrectState(`Transit Gateway ${g.id} is in invalid state`);
  return g;
}

/** The route-table family makes and removes a gateway's default table through these. */
const hooks = {
  created: (_scope: Scope, _g: TransitGatewayRecord): string | undefined => undefined,
  deleted: (_scope: Scope, _g: TransitGatewayRecord) => {},
  hasAttachments: (_scope: Scope, _g: TransitGatewayRecord) => false,
};
export const transitGatewayHooks = hooks;

const onOff = (v: string | undefined, name: string, fallback: 'enable' | 'disable') => {
  if (v === undefined) return fallback;
  if (v !== 'enable' && v !== 'disable')
    throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid.`);
  return v;
};

function checkAsn(asn: number): number {
  const ok = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
  if (!ok)
    throw invalidParameterValue(
      `Value (${asn}) for parameter amazonSideAsn is invalid. It must be a private ASN.`,
    );
  return asn;
}

/** A gateway CIDR block is IPv4 /24 or larger, or IPv6 /64 or larger. */
function checkBlocks(blocks: readonly string[]): string[] {
  for (const b of blocks) {
    const v4 = parseCidr(b);
    const v6 = v4 ? undefined : parseIpv6Cidr(b);
    if ((!v4 || v4.prefix > 24) && (!v6 || v6.prefix > 64))
      throw invalidParameterValue(`Value (${b}) for parameter transitGatewayCidrBlocks is invalid.`);
  }
  return [...blocks];
}

const createTransitGateway: Handler<
  CreateTransitGatewayCommandInput,
  Out<CreateTransitGatewayCommandOutput>
> = (input, ctx) => {
  const o = input.Options ?? {};
  const now = ctx.clock.now();
  const fields = {
    description: input.Description,
    created: now,
    asn: checkAsn(o.AmazonSideAsn ?? 64512),
    autoAccept: onOff(o.AutoAcceptSharedAttachments, 'autoAcceptSharedAttachments', 'disable'),
    defaultAssociation: onOff(o.DefaultRouteTableAssociation, 'defaultRouteTableAssociation', 'enable'),
    defaultPropagation: onOff(o.DefaultRouteTablePropagation, 'defaultRouteTablePropagation', 'enable'),
    vpnEcmp: onOff(o.VpnEcmpSupport, 'vpnEcmpSupport', 'enable'),
    dns: onOff(o.DnsSupport, 'dnsSupport', 'enable'),
    sgReferencing: onOff(o.SecurityGroupReferencingSupport, 'securityGroupReferencingSupport', 'disable'),
    multicast: onOff(o.MulticastSupport, 'multicastSupport', 'disable'),
    cidrBlocks: checkBlocks(o.TransitGatewayCidrBlocks ?? []),
    state: 'pending' as TransitGatewayState,
  };
  const g = transitGateways.create(ctx, input, () => fields);
  moveTo(g, now, 'pending', { state: 'available', delay: ctx.delays.pending });
  const table = hooks.created(ctx, g);
  if (g.defaultAssociation === 'enable') g.associationTableId = table;
  if (g.defaultPropagation === 'enable') g.propagationTableId = table;
  return { TransitGateway: transitGateways.shape(ctx, g) };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyTransitGateway.html */
const modifyTransitGateway: Handler<
  ModifyTransitGatewayCommandInput,
  Out<ModifyTransitGatewayCommandOutput>
> = (input, ctx) => {
  const g = liveTransitGateway(ctx, input.TransitGatewayId);
  const o = input.Options ?? {};
  const next = {
    vpnEcmp: onOff(o.VpnEcmpSupport, 'vpnEcmpSupport', g.vpnEcmp),
    dns: onOff(o.DnsSupport, 'dnsSupport', g.dns),
    sgReferencing: onOff(
      o.SecurityGroupReferencingSupport,
      'securityGroupReferencingSupport',
      g.sgReferencing,
    ),
    autoAccept: onOff(o.AutoAcceptSharedAttachments, 'autoAcceptSharedAttachments', g.autoAccept),
    defaultAssociation: onOff(
      o.DefaultRouteTableAssociation,
      'defaultRouteTableAssociation',
      g.defaultAssociation,
    ),
    defaultPropagation: onOff(
      o.DefaultRouteTablePropagation,
      'defaultRouteTablePropagation',
      g.defaultPropagation,
    ),
    asn: o.AmazonSideAsn !== undefined ? checkAsn(o.AmazonSideAsn) : g.asn,
  };
  const add = checkBlocks(o.AddTransitGatewayCidrBlocks ?? []);
  checkDryRun(input);
  Object.assign(g, next);
  if (input.Description !== undefined) g.description = input.Description;
  if (o.AssociationDefaultRouteTableId) g.associationTableId = o.AssociationDefaultRouteTableId;
  if (o.PropagationDefaultRouteTableId) g.propagationTableId = o.PropagationDefaultRouteTableId;
  g.cidrBlocks = [
    ...g.cidrBlocks.filter((b) => !(o.RemoveTransitGatewayCidrBlocks ?? []).includes(b)),
    ...add,
  ];
  return { TransitGateway: transitGateways.shape(ctx, g) };
};

const deleteTransitGateway: Handler<
  DeleteTransitGatewayCommandInput,
  Out<DeleteTransitGatewayCommandOutput>
> = (input, ctx) => {
  const g = liveTransitGateway(ctx, input.TransitGatewayId);
  if (hooks.hasAttachments(ctx, g))
    throw incorrectState(`tgw ${g.id} has non-deleted Transit Gateway Attachments`);
  checkDryRun(input);
  moveTo(g, ctx.clock.now(), 'deleting', { state: 'deleted', delay: ctx.delays.pending, visibleFor: HOUR });
  hooks.deleted(ctx, g);
  return { TransitGateway: transitGateways.shape(ctx, g) };
};

export const transitGatewayHandlers: HandlerMap = {
  CreateTransitGateway: createTransitGateway,
  ModifyTransitGateway: modifyTransitGateway,
  DeleteTransitGateway: deleteTransitGateway,
  DescribeTransitGateways: transitGateways.describeHandler(
    (i: DescribeTransitGatewaysCommandInput) => i.TransitGatewayIds,
    'TransitGateways',
  ) satisfies Handler<DescribeTransitGatewaysCommandInput, Out<DescribeTransitGatewaysCommandOutput>>,
};
