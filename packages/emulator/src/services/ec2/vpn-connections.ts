import type {
  CreateVpnConnectionCommandInput,
  CreateVpnConnectionCommandOutput,
  CreateVpnConnectionRouteCommandInput,
  CreateVpnConnectionRouteCommandOutput,
  DeleteVpnConnectionCommandInput,
  DeleteVpnConnectionCommandOutput,
  DeleteVpnConnectionRouteCommandInput,
  DeleteVpnConnectionRouteCommandOutput,
  DescribeVpnConnectionsCommandInput,
  DescribeVpnConnectionsCommandOutput,
  ModifyVpnConnectionOptionsCommandInput,
  ModifyVpnConnectionOptionsCommandOutput,
  VpnConnection,
  VpnState,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { intToIp, parseCidr } from './cidr';
import { customerGatewayInUseWhen, customerGateways } from './customer-gateways';
import { checkDryRun, idErrors, incorrectState, invalidParameterValue, missingParameter } from './errors';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  type Scope,
  settleLifecycle,
} from './resource-family';
import { vpnGatewayInUseWhen, vpnGateways } from './vpn-gateways';

/**
 * Site-to-Site VPN connections between a customer gateway and a virtual private gateway: `pending`
 * then `available` on the clock, two tunnels (reported DOWN: nothing answers on the other side),
 * static routes when the connection is static-routes-only, `deleting` then `deleted` (listed for an
 * hour). https://docs.aws.amazon.com/vpn/latest/s2svpn/VPC_VPN.html
 */
interface StaticRoute {
  cidr: string;
  state: VpnState;
}

export interface VpnConnectionRecord extends ResourceRecord, Lifecycle<VpnState> {
  customerGatewayId: string;
  vpnGatewayId: string;
  staticRoutesOnly: boolean;
  localIpv4Cidr: string;
  remoteIpv4Cidr: string;
  routes: StaticRoute[];
  tunnelIps: [string, string];
  created: number;
}

const HOUR = 60 * 60_000;

export const vpnConnections = defineFamily<VpnConnectionRecord, VpnConnection>({
  prefix: 'vpn',
  resourceType: 'vpn-connection',
  errors: idErrors({
    notFound: 'InvalidVpnConnectionID.NotFound',
    malformed: 'InvalidVpnConnectionID.Malformed',
    noun: 'vpnConnection',
    prefix: 'vpn',
  }),
  settle: settleLifecycle,
  shape: (c, view) => ({
    VpnConnectionId: c.id,
    State: c.state,
    Type: 'ipsec.1',
    Category: 'VPN',
    CustomerGatewayId: c.customerGatewayId,
    VpnGatewayId: c.vpnGatewayId,
    Options: {
      StaticRoutesOnly: c.staticRoutesOnly,
      EnableAcceleration: false,
      LocalIpv4NetworkCidr: c.localIpv4Cidr,
      RemoteIpv4NetworkCidr: c.remoteIpv4Cidr,
      OutsideIpAddressType: 'PublicIpv4',
      TunnelInsideIpVersion: 'ipv4',
    },
    Routes: c.routes.map((r) => ({ DestinationCidrBlock: r.cidr, Source: 'Static', State: r.state })),
    VgwTelemetry: c.tunnelIps.map((OutsideIpAddress) => ({
      OutsideIpAddress,
      Status: 'DOWN',
      StatusMessage: '',
      AcceptedRouteCount: 0,
      LastStatusChange: new Date(c.created),
    })),
    GatewayAssociationState:
      c.state === 'available' ? 'associated' : c.state === 'pending' ? 'associating' : 'disassociating',
    Tags: view.tags(c.id),
  }),
  filters: () => ({
    'vpn-connection-id': (c) => c.id,
    'customer-gateway-id': (c) => c.customerGatewayId,
    'vpn-gateway-id': (c) => c.vpnGatewayId,
    state: (c) => c.state,
    'option.static-routes-only': (c) => c.staticRoutesOnly,
    'route.destination-cidr-block': (c) => c.routes.map((r) => r.cidr),
    'bgp-asn': () => undefined,
    type: () => 'ipsec.1',
    category: () => 'VPN',
  }),
});

const live = (c: VpnConnectionRecord) => c.state !== 'deleted' && c.state !== 'deleting';
// A gateway with a live connection cannot be deleted (IncorrectState).
customerGatewayInUseWhen((scope, g) =>
  vpnConnections.list(scope).some((c) => live(c) && c.customerGatewayId === g.id),
);
vpnGatewayInUseWhen((scope, g) => vpnConnections.list(scope).some((c) => live(c) && c.vpnGatewayId === g.id));

function tunnelIp(scope: Scope): string {
  const n = scope.region.slot('ec2.vpnTunnels', () => ({ next: 0x12000000 }));
  n.next += 3;
  return intToIp(n.next);
}

const checkCidrOption = (v: string | undefined, name: string) => {
  if (v !== undefined && !parseCidr(v))
    throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid.`);
  return v ?? '0.0.0.0/0';
};

const createVpnConnection: Handler<CreateVpnConnectionCommandInput, Out<CreateVpnConnectionCommandOutput>> = (
  input,
  ctx,
) => {
  if (input.Type !== 'ipsec.1')
    throw invalidParameterValue(`Value (${input.Type}) for parameter type is invalid.`);
  const cgw = customerGateways.get(ctx, input.CustomerGatewayId, 'CustomerGatewayId');
  if (cgw.state !== 'available') throw incorrectState(`The customer gateway ${cgw.id} is ${cgw.state}`);
  if (input.TransitGatewayId)
    throw invalidParameterValue(
      'The emulator connects VPNs to virtual private gateways only (VpnGatewayId).',
    );
  if (!input.VpnGatewayId) throw missingParameter('VpnGatewayId');
  const vgw = vpnGateways.get(ctx, input.VpnGatewayId, 'VpnGatewayId');
  if (vgw.state === 'deleted' || vgw.state === 'deleting')
    throw incorrectState(`The vpn gateway ${vgw.id} is ${vgw.state}`);
  if (
    vpnConnections
      .list(ctx)
      .some((c) => live(c) && c.customerGatewayId === cgw.id && c.vpnGatewayId === vgw.id)
  )
    throw new AwsError(
      'InvalidCustomerGateway.DuplicateIpAddress',
      `Conflict among chosen gateway IP addresses: ${cgw.ipAddress} is already used with ${vgw.id}`,
    );
  const o = input.Options ?? {};
  const fields = {
    customerGatewayId: cgw.id,
    vpnGatewayId: vgw.id,
    staticRoutesOnly: o.StaticRoutesOnly ?? false,
    localIpv4Cidr: checkCidrOption(o.LocalIpv4NetworkCidr, 'localIpv4NetworkCidr'),
    remoteIpv4Cidr: checkCidrOption(o.RemoteIpv4NetworkCidr, 'remoteIpv4NetworkCidr'),
    routes: [] as StaticRoute[],
    tunnelIps: [tunnelIp(ctx), tunnelIp(ctx)] as [string, string],
    created: ctx.clock.now(),
    state: 'pending' as VpnState,
  };
  const c = vpnConnections.create(ctx, input, () => fields);
  moveTo(c, ctx.clock.now(), 'pending', { state: 'available', delay: ctx.delays.pending });
  return { VpnConnection: vpnConnections.shape(ctx, c) };
};

const deleteVpnConnection: Handler<DeleteVpnConnectionCommandInput, Out<DeleteVpnConnectionCommandOutput>> = (
  input,
  ctx,
) => {
  const c = vpnConnections.get(ctx, input.VpnConnectionId, 'VpnConnectionId');
  if (!live(c)) throw vpnConnections.spec.errors.notFound([c.id]);
  checkDryRun(input);
  moveTo(c, ctx.clock.now(), 'deleting', { state: 'deleted', delay: ctx.delays.pending, visibleFor: HOUR });
  return {};
};

/** Static routes need a static-routes-only connection (a BGP connection learns its routes). */
function routeOf(
  ctx: Scope,
  input: { VpnConnectionId?: string | undefined; DestinationCidrBlock?: string | undefined },
) {
  const c = vpnConnections.get(ctx, input.VpnConnectionId, 'VpnConnectionId');
  if (!live(c)) throw incorrectState(`The vpn connection ${c.id} is ${c.state}`);
  if (!input.DestinationCidrBlock) throw missingParameter('DestinationCidrBlock');
  if (!parseCidr(input.DestinationCidrBlock))
    throw invalidParameterValue(
      `Value (${input.DestinationCidrBlock}) for parameter destinationCidrBlock is invalid.`,
    );
  if (!c.staticRoutesOnly)
    throw invalidParameterValue(`The vpn connection ${c.id} is not configured for static routes.`);
  return { c, cidr: input.DestinationCidrBlock };
}

const createRoute: Handler<
  CreateVpnConnectionRouteCommandInput,
  Out<CreateVpnConnectionRouteCommandOutput>
> = (input, ctx) => {
  const { c, cidr } = routeOf(ctx, input);
  if (c.routes.some((r) => r.cidr === cidr))
    throw new AwsError('RouteAlreadyExists', `The route identified by ${cidr} already exists.`);
  c.routes.push({ cidr, state: 'available' });
  return {};
};

const deleteRoute: Handler<
  DeleteVpnConnectionRouteCommandInput,
  Out<DeleteVpnConnectionRouteCommandOutput>
> = (input, ctx) => {
  const { c, cidr } = routeOf(ctx, input);
  if (!c.routes.some((r) => r.cidr === cidr))
    throw new AwsError('InvalidRoute.NotFound', `The route identified by ${cidr} does not exist.`);
  c.routes = c.routes.filter((r) => r.cidr !== cidr);
  return {};
};

const modifyOptions: Handler<
  ModifyVpnConnectionOptionsCommandInput,
  Out<ModifyVpnConnectionOptionsCommandOutput>
> = (input, ctx) => {
  const c = vpnConnections.get(ctx, input.VpnConnectionId, 'VpnConnectionId');
  if (c.state !== 'available') throw incorrectState(`The vpn connection ${c.id} is ${c.state}`);
  const local =
    input.LocalIpv4NetworkCidr !== undefined
      ? checkCidrOption(input.LocalIpv4NetworkCidr, 'localIpv4NetworkCidr')
      : c.localIpv4Cidr;
  const remote =
    input.RemoteIpv4NetworkCidr !== undefined
      ? checkCidrOption(input.RemoteIpv4NetworkCidr, 'remoteIpv4NetworkCidr')
      : c.remoteIpv4Cidr;
  checkDryRun(input);
  c.localIpv4Cidr = local;
  c.remoteIpv4Cidr = remote;
  // The connection is modifying for a while, as AWS's is.
  moveTo(c, ctx.clock.now(), 'pending', { state: 'available', delay: ctx.delays.pending });
  return { VpnConnection: vpnConnections.shape(ctx, c) };
};

export const vpnConnectionHandlers: HandlerMap = {
  CreateVpnConnection: createVpnConnection,
  DeleteVpnConnection: deleteVpnConnection,
  CreateVpnConnectionRoute: createRoute,
  DeleteVpnConnectionRoute: deleteRoute,
  ModifyVpnConnectionOptions: modifyOptions,
  DescribeVpnConnections: vpnConnections.describeHandler(
    (i: DescribeVpnConnectionsCommandInput) => i.VpnConnectionIds,
    'VpnConnections',
  ) satisfies Handler<DescribeVpnConnectionsCommandInput, Out<DescribeVpnConnectionsCommandOutput>>,
};
