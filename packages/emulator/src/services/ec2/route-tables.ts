import type {
  AssociateRouteTableCommandInput,
  AssociateRouteTableCommandOutput,
  CreateRouteCommandInput,
  CreateRouteCommandOutput,
  CreateRouteTableCommandInput,
  CreateRouteTableCommandOutput,
  DeleteRouteCommandInput,
  DeleteRouteCommandOutput,
  DeleteRouteTableCommandInput,
  DeleteRouteTableCommandOutput,
  DescribeRouteTablesCommandInput,
  DescribeRouteTablesCommandOutput,
  DisableVgwRoutePropagationCommandInput,
  DisableVgwRoutePropagationCommandOutput,
  DisassociateRouteTableCommandInput,
  DisassociateRouteTableCommandOutput,
  EnableVgwRoutePropagationCommandInput,
  EnableVgwRoutePropagationCommandOutput,
  ReplaceRouteCommandInput,
  ReplaceRouteCommandOutput,
  ReplaceRouteTableAssociationCommandInput,
  ReplaceRouteTableAssociationCommandOutput,
  Route,
  RouteTable,
  RouteTableAssociation,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { parseCidr, parseIpv6Cidr } from './cidr';
import {
  alreadyAssociated,
  associationNotFound,
  checkDryRun,
  gatewayNotFound,
  idErrors,
  instanceNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  networkInterfaceNotFound,
  routeAlreadyExists,
  routeNotFound,
} from './errors';
import { idPrefix, newId } from './ids';
import { findInstanceRecord, liveInstances } from './instance-state';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';
import { onSubnetDeleted, subnets } from './subnets';
import { onVpcCreated, onVpcDeleted, type VpcRecord, vpcs } from './vpcs';

/**
 * Route tables: a main table per VPC (made with the VPC, deleted with it), custom tables, routes to
 * every kind of target, subnet and gateway associations, and VGW route propagation. A route whose
 * target is gone or detached reads `blackhole`; the VPC's local routes are derived from its CIDR
 * blocks, so a block associated later routes at once.
 * https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
 */

/** The route's target, by the request member that named it. */
type TargetField =
  | 'GatewayId'
  | 'NatGatewayId'
  | 'EgressOnlyInternetGatewayId'
  | 'InstanceId'
  | 'NetworkInterfaceId'
  | 'VpcPeeringConnectionId'
  | 'TransitGatewayId'
  | 'CarrierGatewayId'
  | 'LocalGatewayId'
  | 'CoreNetworkArn';

const targetFields: readonly TargetField[] = [
  'GatewayId',
  'NatGatewayId',
  'EgressOnlyInternetGatewayId',
  'InstanceId',
  'NetworkInterfaceId',
  'VpcPeeringConnectionId',
  'TransitGatewayId',
  'CarrierGatewayId',
  'LocalGatewayId',
  'CoreNetworkArn',
];

interface RouteRecord {
  /** `DestinationCidrBlock`, `DestinationIpv6CidrBlock` or `DestinationPrefixListId`, and its value. */
  destination: {
    field: 'DestinationCidrBlock' | 'DestinationIpv6CidrBlock' | 'DestinationPrefixListId';
    value: string;
  };
  target: { field: TargetField; id: string };
  origin: 'CreateRoute' | 'EnableVgwRoutePropagation';
  /** Set on routes a gateway VPC endpoint owns: they go with the endpoint, not by DeleteRoute. */
  endpointId?: string | undefined;
}

interface AssociationRecord {
  id: string;
  main: boolean;
  subnetId?: string | undefined;
  gatewayId?: string | undefined;
}

export interface RouteTableRecord extends ResourceRecord {
  vpcId: string;
  routes: RouteRecord[];
  associations: AssociationRecord[];
  propagatingVgws: string[];
}

/**
 * What a route may point at, by id prefix. The family that owns a target registers it: `check`
 * throws the target's NotFound (or InvalidParameterValue when it is in another network) and
 * `active` says whether the route carries traffic now (else `blackhole`).
 */
export interface RouteTarget {
  check(scope: Scope, id: string, vpc: VpcRecord): void;
  active(scope: Scope, id: string, vpcId: string): boolean;
  /** Extra route members the target implies (an instance's interface and owner). */
  extra?(scope: Scope, id: string): Partial<Route>;
}

const targets = new Map<string, RouteTarget>();

/** Called once per target family at module load: `igw`, `nat`, `pcx`, `eni`, … */
export function registerRouteTarget(prefix: string, target: RouteTarget): void {
  targets.set(prefix, target);
}

/** "route table rtb-… and network gateway igw-… belong to different networks", AWS's words. */
export const differentNetworks = (tableId: string, targetId: string) =>
  invalidParameterValue(
    `route table ${tableId} and network gateway ${targetId} belong to different networks`,
  );

function localRoutes(vpc: VpcRecord | undefined): Route[] {
  if (!vpc) return [];
  const live = (b: { state: string }) => b.state === 'associated';
  return [
    ...vpc.cidrBlocks.filter(live).map((b) => ({ DestinationCidrBlock: b.cidr })),
    ...vpc.ipv6Blocks.filter(live).map((b) => ({ DestinationIpv6CidrBlock: b.cidr })),
  ].map((r) => ({ ...r, GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const }));
}

function routeShape(scope: Scope, table: RouteTableRecord, r: RouteRecord): Route {
  const target = targets.get(idPrefix(r.target.id));
  const active = target ? target.active(scope, r.target.id, table.vpcId) : true;
  return {
    [r.destination.field]: r.destination.value,
    [r.target.field]: r.target.id,
    ...target?.extra?.(scope, r.target.id),
    Origin: r.origin,
    State: active ? 'active' : 'blackhole',
  };
}

function associationShape(tableId: string, a: AssociationRecord): RouteTableAssociation {
  return {
    Main: a.main,
    RouteTableAssociationId: a.id,
    RouteTableId: tableId,
    SubnetId: a.subnetId,
    GatewayId: a.gatewayId,
    AssociationState: { State: 'associated' },
  };
}

function tableShape(scope: Scope, t: RouteTableRecord, tags: RouteTable['Tags']): RouteTable {
  return {
    RouteTableId: t.id,
    VpcId: t.vpcId,
    OwnerId: scope.region.accountId,
    Routes: [...localRoutes(vpcs.find(scope, t.vpcId)), ...t.routes.map((r) => routeShape(scope, t, r))],
    Associations: t.associations.map((a) => associationShape(t.id, a)),
    PropagatingVgws: t.propagatingVgws.map((GatewayId) => ({ GatewayId })),
    Tags: tags,
  };
}

const routesOf = (scope: Scope, t: RouteTableRecord) => tableShape(scope, t, undefined).Routes ?? [];

export const routeTables = defineFamily<RouteTableRecord, RouteTable>({
  prefix: 'rtb',
  resourceType: 'route-table',
  errors: idErrors({
    notFound: 'InvalidRouteTableID.NotFound',
    malformed: 'InvalidRouteTableId.Malformed',
    noun: 'routeTable',
    prefix: 'rtb',
  }),
  paging: { min: 5, max: 100 },
  shape: (t, view) => tableShape(view.scope, t, view.tags(t.id)),
  filters: (view) => {
    const routes = (t: RouteTableRecord) => routesOf(view.scope, t);
    return {
      'route-table-id': (t) => t.id,
      'vpc-id': (t) => t.vpcId,
      'owner-id': () => view.region.accountId,
      'association.main': (t) => t.associations.some((a) => a.main),
      'association.route-table-association-id': (t) => t.associations.map((a) => a.id),
      'association.route-table-id': (t) => (t.associations.length ? t.id : undefined),
      'association.subnet-id': (t) => t.associations.map((a) => a.subnetId),
      'association.gateway-id': (t) => t.associations.map((a) => a.gatewayId),
      'route.destination-cidr-block': (t) => routes(t).map((r) => r.DestinationCidrBlock),
      'route.destination-ipv6-cidr-block': (t) => routes(t).map((r) => r.DestinationIpv6CidrBlock),
      'route.destination-prefix-list-id': (t) => routes(t).map((r) => r.DestinationPrefixListId),
      'route.egress-only-internet-gateway-id': (t) => routes(t).map((r) => r.EgressOnlyInternetGatewayId),
      'route.gateway-id': (t) => routes(t).map((r) => r.GatewayId),
      'route.instance-id': (t) => routes(t).map((r) => r.InstanceId),
      'route.nat-gateway-id': (t) => routes(t).map((r) => r.NatGatewayId),
      'route.transit-gateway-id': (t) => routes(t).map((r) => r.TransitGatewayId),
      'route.vpc-peering-connection-id': (t) => routes(t).map((r) => r.VpcPeeringConnectionId),
      'route.origin': (t) => routes(t).map((r) => r.Origin),
      'route.state': (t) => routes(t).map((r) => r.State),
    };
  },
});

/** The main route table of a VPC. */
export const mainTableOf = (scope: Scope, vpcId: string) =>
  routeTables.where(scope, (t) => t.vpcId === vpcId && t.associations.some((a) => a.main)).next().value as
    | RouteTableRecord
    | undefined;

/** The table a subnet uses: its explicit association, else its VPC's main table. */
export function tableOfSubnet(scope: Scope, subnetId: string, vpcId: string): RouteTableRecord | undefined {
  for (const t of routeTables.list(scope)) if (t.associations.some((a) => a.subnetId === subnetId)) return t;
  return mainTableOf(scope, vpcId);
}

onVpcCreated((scope, vpc) => {
  routeTables.add(scope.region, {
    id: routeTables.newId(),
    vpcId: vpc.id,
    routes: [],
    associations: [{ id: newId('rtbassoc'), main: true }],
    propagatingVgws: [],
  });
});

onVpcDeleted((scope, vpc) => {
  const main = mainTableOf(scope, vpc.id);
  if (main) routeTables.remove(scope.region, main);
});

// A deleted subnet's association goes with it.
onSubnetDeleted((scope, subnet) => {
  for (const t of routeTables.list(scope))
    t.associations = t.associations.filter((a) => a.subnetId !== subnet.id);
});

vpcs.blockedBy('route tables other than the main one', (scope, vpc) =>
  routeTables.list(scope).some((t) => t.vpcId === vpc.id && !t.associations.some((a) => a.main)),
);

/** The destination of a route request: exactly one of the three kinds. */
function destinationOf(input: {
  DestinationCidrBlock?: string | undefined;
  DestinationIpv6CidrBlock?: string | undefined;
  DestinationPrefixListId?: string | undefined;
}): RouteRecord['destination'] {
  const given = (
    [
      ['DestinationCidrBlock', input.DestinationCidrBlock],
      ['DestinationIpv6CidrBlock', input.DestinationIpv6CidrBlock],
      ['DestinationPrefixListId', input.DestinationPrefixListId],
    ] as const
  ).filter(([, v]) => v !== undefined);
  if (given.length === 0) throw missingParameter('DestinationCidrBlock');
  if (given.length > 1)
    throw invalidParameterCombination(
      'Only one of destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId may be given',
    );
  const [field, value] = given[0]!;
  if (field === 'DestinationCidrBlock' && !parseCidr(value!))
    throw invalidParameterValue(
      `Value (${value}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`,
    );
  if (field === 'DestinationIpv6CidrBlock' && !parseIpv6Cidr(value!))
    throw invalidParameterValue(
      `Value (${value}) for parameter destinationIpv6CidrBlock is invalid. This is not a valid CIDR block.`,
    );
  return { field, value: value! };
}

type TargetInput = Partial<Record<TargetField | 'VpcEndpointId', string | undefined>>;

/** The one target of a route request, checked against its family (exists, same network). */
function targetOf(scope: Scope, table: RouteTableRecord, input: TargetInput): RouteRecord['target'] {
  const given = [...targetFields, 'VpcEndpointId' as const].filter((f) => input[f] !== undefined);
  if (given.length === 0) throw missingParameter('GatewayId');
  if (given.length > 1)
    throw invalidParameterCombination('The request must contain exactly one route target.');
  const asked = given[0]!;
  const id = input[asked]!;
  // A Gateway Load Balancer endpoint is given as VpcEndpointId and reads back as GatewayId.
  const field: TargetField = asked === 'VpcEndpointId' ? 'GatewayId' : asked;
  if (id === 'local') throw invalidParameterValue('The local route target cannot be used in CreateRoute.');
  const target = targets.get(idPrefix(id));
  if (!target) throw gatewayNotFound(id);
  target.check(scope, id, vpcs.get(scope, table.vpcId));
  return { field, id };
}

const sameDestination = (a: RouteRecord['destination'], b: RouteRecord['destination']) =>
  a.field === b.field && a.value === b.value;

const isLocal = (scope: Scope, t: RouteTableRecord, d: RouteRecord['destination']) =>
  localRoutes(vpcs.find(scope, t.vpcId)).some(
    (r) => r.DestinationCidrBlock === d.value || r.DestinationIpv6CidrBlock === d.value,
  );

/** Adds a route; the caller has validated. Gateway endpoints and the default-VPC seed use it. */
export function addRoute(t: RouteTableRecord, route: RouteRecord): void {
  t.routes.push(route);
}

/** Removes the routes a gateway endpoint owns from every table. */
export function dropEndpointRoutes(scope: Scope, endpointId: string): void {
  for (const t of routeTables.list(scope)) t.routes = t.routes.filter((r) => r.endpointId !== endpointId);
}

const createRouteTable: Handler<CreateRouteTableCommandInput, Out<CreateRouteTableCommandOutput>> = (
  input,
  ctx,
) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  const t = routeTables.create(ctx, input, () => ({
    vpcId: vpc.id,
    routes: [],
    associations: [],
    propagatingVgws: [],
  }));
  return { RouteTable: routeTables.shape(ctx, t), ClientToken: input.ClientToken };
};

/** A table with associations (the main one included) cannot go: DependencyViolation. */
const deleteRouteTable: Handler<DeleteRouteTableCommandInput, Out<DeleteRouteTableCommandOutput>> = (
  input,
  ctx,
) => {
  routeTables.delete(ctx, input, input.RouteTableId, 'RouteTableId');
  return {};
};
routeTables.blockedBy('associations', (_scope, t) => t.associations.length > 0);

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html */
const createRoute: Handler<CreateRouteCommandInput, Out<CreateRouteCommandOutput>> = (input, ctx) => {
  const t = routeTables.get(ctx, input.RouteTableId, 'RouteTableId');
  const destination = destinationOf(input);
  const target = targetOf(ctx, t, input);
  if (isLocal(ctx, t, destination) || t.routes.some((r) => sameDestination(r.destination, destination)))
    throw routeAlreadyExists(destination.value);
  checkDryRun(input);
  addRoute(t, { destination, target, origin: 'CreateRoute' });
  return { Return: true };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html */
const replaceRoute: Handler<ReplaceRouteCommandInput, Out<ReplaceRouteCommandOutput>> = (input, ctx) => {
  const t = routeTables.get(ctx, input.RouteTableId, 'RouteTableId');
  const destination = destinationOf(input);
  const route = t.routes.find((r) => sameDestination(r.destination, destination));
  if (!route)
    throw invalidParameterValue(
      `There is no route defined for '${destination.value}' in the route table. Use CreateRoute instead.`,
    );
  const target = targetOf(ctx, t, input);
  checkDryRun(input);
  route.target = target;
  route.origin = 'CreateRoute';
  return {};
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRoute.html */
const deleteRoute: Handler<DeleteRouteCommandInput, Out<DeleteRouteCommandOutput>> = (input, ctx) => {
  const t = routeTables.get(ctx, input.RouteTableId, 'RouteTableId');
  const destination = destinationOf(input);
  if (isLocal(ctx, t, destination))
    throw invalidParameterValue(`cannot remove local route ${destination.value} in route table ${t.id}`);
  const route = t.routes.find((r) => sameDestination(r.destination, destination));
  if (!route || route.endpointId) throw routeNotFound(destination.value, t.id);
  checkDryRun(input);
  t.routes = t.routes.filter((r) => r !== route);
  return {};
};

function findAssociation(scope: Scope, id: string | undefined) {
  if (!id) throw missingParameter('AssociationId');
  for (const t of routeTables.list(scope)) {
    const a = t.associations.find((x) => x.id === id);
    if (a) return { table: t, association: a };
  }
  throw associationNotFound(id);
}

/** A subnet has one explicit table, a gateway one edge table; both in the table's VPC. */
const associateRouteTable: Handler<AssociateRouteTableCommandInput, Out<AssociateRouteTableCommandOutput>> = (
  input,
  ctx,
) => {
  const t = routeTables.get(ctx, input.RouteTableId, 'RouteTableId');
  if (!input.SubnetId && !input.GatewayId) throw missingParameter('SubnetId');
  if (input.SubnetId && input.GatewayId)
    throw invalidParameterCombination('Only one of subnetId or gatewayId may be given');
  let a: AssociationRecord;
  if (input.SubnetId) {
    const s = subnets.get(ctx, input.SubnetId, 'SubnetId');
    if (s.vpcId !== t.vpcId)
      throw invalidParameterValue(`Route table ${t.id} and subnet ${s.id} belong to different networks`);
    for (const o of routeTables.list(ctx))
      if (o.associations.some((x) => x.subnetId === s.id))
        throw alreadyAssociated(
          `the specified association for route table ${t.id} conflicts with an existing association`,
        );
    a = { id: newId('rtbassoc'), main: false, subnetId: s.id };
  } else {
    const id = input.GatewayId!;
    const target = targets.get(idPrefix(id));
    if (!target || !(id.startsWith('igw-') || id.startsWith('vgw-'))) throw gatewayNotFound(id);
    target.check(ctx, id, vpcs.get(ctx, t.vpcId));
    for (const o of routeTables.list(ctx))
      if (o.associations.some((x) => x.gatewayId === id))
        throw alreadyAssociated(
          `the specified association for route table ${t.id} conflicts with an existing association`,
        );
    a = { id: newId('rtbassoc'), main: false, gatewayId: id };
  }
  checkDryRun(input);
  t.associations.push(a);
  return { AssociationId: a.id, AssociationState: { State: 'associated' } };
};

/** The main association cannot be disassociated: ReplaceRouteTableAssociation makes another table main. */
const disassociateRouteTable: Handler<
  DisassociateRouteTableCommandInput,
  Out<DisassociateRouteTableCommandOutput>
> = (input, ctx) => {
  const { table, association } = findAssociation(ctx, input.AssociationId);
  if (association.main)
    throw invalidParameterValue(`cannot disassociate the main route table association ${association.id}`);
  checkDryRun(input);
  table.associations = table.associations.filter((a) => a !== association);
  return {};
};

/** Moves an association (the main one included) to another table of the same VPC, under a new id. */
const replaceRouteTableAssociation: Handler<
  ReplaceRouteTableAssociationCommandInput,
  Out<ReplaceRouteTableAssociationCommandOutput>
> = (input, ctx) => {
  const { table, association } = findAssociation(ctx, input.AssociationId);
  const to = routeTables.get(ctx, input.RouteTableId, 'RouteTableId');
  if (to.vpcId !== table.vpcId)
    throw invalidParameterValue(
      `Route table ${to.id} and association ${association.id} belong to different networks`,
    );
  checkDryRun(input);
  table.associations = table.associations.filter((a) => a !== association);
  const moved = { ...association, id: newId('rtbassoc') };
  to.associations.push(moved);
  return { NewAssociationId: moved.id, AssociationState: { State: 'associated' } };
};

/** VGW route propagation: the gateway must be attached to the table's VPC. */
function propagation(enable: boolean) {
  return (
    input: EnableVgwRoutePropagationCommandInput | DisableVgwRoutePropagationCommandInput,
    ctx: Scope,
  ) => {
    const t = routeTables.get(ctx, input.RouteTableId, 'RouteTableId');
    if (!input.GatewayId) throw missingParameter('GatewayId');
    const target = targets.get('vgw');
    if (!input.GatewayId.startsWith('vgw-') || !target) throw gatewayNotFound(input.GatewayId);
    target.check(ctx, input.GatewayId, vpcs.get(ctx, t.vpcId));
    checkDryRun(input);
    t.propagatingVgws = t.propagatingVgws.filter((g) => g !== input.GatewayId);
    if (enable) t.propagatingVgws.push(input.GatewayId);
    return {};
  };
}

/** The default VPC's main table routes 0.0.0.0/0 to its internet gateway (the seed calls this). */
export function addDefaultRoute(region: Region, vpcId: string, gatewayId: string): void {
  const main = mainTableOf(scopeAt(region, 0), vpcId);
  if (main)
    addRoute(main, {
      destination: { field: 'DestinationCidrBlock', value: '0.0.0.0/0' },
      target: { field: 'GatewayId', id: gatewayId },
      origin: 'CreateRoute',
    });
}

// Instances and their primary interfaces as targets (NAT instances, appliances). The network
// interfaces family may register 'eni' again with its own records; this one reads instances'.
const liveInstance = (scope: Scope, id: string) => {
  const i = findInstanceRecord(scope.region, id, scope.clock.now());
  return i && i.state !== 'terminated' ? i : undefined;
};
registerRouteTarget('i', {
  check(scope, id, vpc) {
    const i = liveInstance(scope, id);
    if (!i) throw instanceNotFound([id]);
    if (i.vpcId !== vpc.id)
      throw invalidParameterValue(`The instance ${id} is not in the same network as the route table`);
  },
  active: (scope, id) => {
    const i = liveInstance(scope, id);
    return i !== undefined && i.state !== 'shutting-down';
  },
  extra: (scope, id) => {
    const i = findInstanceRecord(scope.region, id, scope.clock.now());
    return { InstanceOwnerId: scope.region.accountId, NetworkInterfaceId: i?.eniId };
  },
});
const instanceOfEni = (scope: Scope, eniId: string) => {
  for (const i of liveInstances(scope.region, scope.clock.now()))
    if (i.eniId === eniId && i.state !== 'terminated') return i;
  return undefined;
};
registerRouteTarget('eni', {
  check(scope, id, vpc) {
    const i = instanceOfEni(scope, id);
    if (!i) throw networkInterfaceNotFound(id);
    if (i.vpcId !== vpc.id) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id) => instanceOfEni(scope, id) !== undefined,
  extra: (scope, id) => {
    const i = instanceOfEni(scope, id);
    return i ? { InstanceId: i.id, InstanceOwnerId: scope.region.accountId } : {};
  },
});

export const routeTableHandlers: HandlerMap = {
  CreateRouteTable: createRouteTable,
  DeleteRouteTable: deleteRouteTable,
  DescribeRouteTables: routeTables.describeHandler(
    (i: DescribeRouteTablesCommandInput) => i.RouteTableIds,
    'RouteTables',
  ) satisfies Handler<DescribeRouteTablesCommandInput, Out<DescribeRouteTablesCommandOutput>>,
  CreateRoute: createRoute,
  ReplaceRoute: replaceRoute,
  DeleteRoute: deleteRoute,
  AssociateRouteTable: associateRouteTable,
  DisassociateRouteTable: disassociateRouteTable,
  ReplaceRouteTableAssociation: replaceRouteTableAssociation,
  EnableVgwRoutePropagation: propagation(true) as Handler<
    EnableVgwRoutePropagationCommandInput,
    Out<EnableVgwRoutePropagationCommandOutput>
  >,
  DisableVgwRoutePropagation: propagation(false) as Handler<
    DisableVgwRoutePropagationCommandInput,
    Out<DisableVgwRoutePropagationCommandOutput>
  >,
};
