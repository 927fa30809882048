import type {
  AssociateTransitGatewayRouteTableCommandInput,
  AssociateTransitGatewayRouteTableCommandOutput,
  CreateTransitGatewayRouteCommandInput,
  CreateTransitGatewayRouteCommandOutput,
  CreateTransitGatewayRouteTableCommandInput,
  CreateTransitGatewayRouteTableCommandOutput,
  DeleteTransitGatewayRouteCommandInput,
  DeleteTransitGatewayRouteCommandOutput,
  DeleteTransitGatewayRouteTableCommandInput,
  DeleteTransitGatewayRouteTableCommandOutput,
  DescribeTransitGatewayRouteTablesCommandInput,
  DescribeTransitGatewayRouteTablesCommandOutput,
  DisableTransitGatewayRouteTablePropagationCommandInput,
  DisableTransitGatewayRouteTablePropagationCommandOutput,
  DisassociateTransitGatewayRouteTableCommandInput,
  DisassociateTransitGatewayRouteTableCommandOutput,
  EnableTransitGatewayRouteTablePropagationCommandInput,
  EnableTransitGatewayRouteTablePropagationCommandOutput,
  Filter,
  GetTransitGatewayAttachmentPropagationsCommandInput,
  GetTransitGatewayAttachmentPropagationsCommandOutput,
  GetTransitGatewayRouteTableAssociationsCommandInput,
  GetTransitGatewayRouteTableAssociationsCommandOutput,
  GetTransitGatewayRouteTablePropagationsCommandInput,
  GetTransitGatewayRouteTablePropagationsCommandOutput,
  ReplaceTransitGatewayRouteCommandInput,
  ReplaceTransitGatewayRouteCommandOutput,
  SearchTransitGatewayRoutesCommandInput,
  SearchTransitGatewayRoutesCommandOutput,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  TransitGatewayRouteTableState,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { cidrContains, parseCidr } from './cidr';
import {
  alreadyAssociated,
  checkDryRun,
  idErrors,
  incorrectState,
  invalidParameterValue,
  missingParameter,
  routeAlreadyExists,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { paginate } from './paging';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  type Scope,
  settleLifecycle,
} from './resource-family';
import { attachmentHooks, type TgwAttachmentRecord, tgwAttachments } from './transit-gateway-attachments';
import { liveTransitGateway, transitGatewayHooks } from './transit-gateways';
import { vpcs } from './vpcs';

/**
 * Transit gateway route tables: associations (an attachment has at most one table), propagations
 * (a VPC attachment propagates its VPC's CIDR blocks as `propagated` routes), static routes to an
 * attachment or blackhole, and the reads over them. A static route whose attachment is gone reads
 * `blackhole`. https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
 */
interface StaticRoute {
  cidr: string;
  attachmentId?: string | undefined;
  blackhole: boolean;
}

export interface TgwRouteTableRecord extends ResourceRecord, Lifecycle<TransitGatewayRouteTableState> {
  transitGatewayId: string;
  created: number;
  associations: Set<string>;
  propagations: Set<string>;
  routes: StaticRoute[];
}

const HOUR = 60 * 60_000;

const isDefaultFor = (scope: Scope, t: TgwRouteTableRecord) => {
  const g = liveGateway(scope, t.transitGatewayId);
  return { association: g?.associationTableId === t.id, propagation: g?.propagationTableId === t.id };
};

const liveGateway = (scope: Scope, id: string) => {
  try {
    return liveTransitGateway(scope, id);
  } catch {
    return undefined;
  }
};

export const tgwRouteTables = defineFamily<TgwRouteTableRecord, TransitGatewayRouteTable>({
  prefix: 'tgw-rtb',
  resourceType: 'transit-gateway-route-table',
  errors: idErrors({
    notFound: 'InvalidRouteTableID.NotFound',
    malformed: 'InvalidRouteTableId.Malformed',
    noun: 'routeTable',
    prefix: 'tgw-rtb',
  }),
  settle: settleLifecycle,
  shape: (t, view) => {
    const d = isDefaultFor(view.scope, t);
    return {
      TransitGatewayRouteTableId: t.id,
      TransitGatewayId: t.transitGatewayId,
      State: t.state,
      DefaultAssociationRouteTable: d.association,
      DefaultPropagationRouteTable: d.propagation,
      CreationTime: new Date(t.created),
      Tags: view.tags(t.id),
    };
  },
  filters: (view) => ({
    'transit-gateway-route-table-id': (t) => t.id,
    'transit-gateway-id': (t) => t.transitGatewayId,
    state: (t) => t.state,
    'default-association-route-table': (t) => isDefaultFor(view.scope, t).association,
    'default-propagation-route-table': (t) => isDefaultFor(view.scope, t).propagation,
  }),
});

const newTable = (scope: Scope, tgwId: string): TgwRouteTableRecord =>
  tgwRouteTables.add(scope.region, {
    id: tgwRouteTables.newId(),
    transitGatewayId: tgwId,
    created: scope.clock.now(),
    associations: new Set(),
    propagations: new Set(),
    routes: [],
    state: 'available',
  });

// A gateway with default association or propagation gets its default table; it goes with the gateway.
transitGatewayHooks.created = (scope, g) =>
  g.defaultAssociation === 'enable' || g.defaultPropagation === 'enable'
    ? newTable(scope, g.id).id
    : undefined;
transitGatewayHooks.deleted = (scope, g) => {
  for (const t of tgwRouteTables.list(scope))
    if (t.transitGatewayId === g.id)
      moveTo(t, scope.clock.now(), 'deleting', { state: 'deleted', delay: 0, visibleFor: HOUR });
};
attachmentHooks.created = (scope, a) => {
  const g = liveGateway(scope, a.transitGatewayId);
  if (g?.defaultAssociation === 'enable' && g.associationTableId)
    tgwRouteTables.find(scope, g.associationTableId)?.associations.add(a.id);
  if (g?.defaultPropagation === 'enable' && g.propagationTableId)
    tgwRouteTables.find(scope, g.propagationTableId)?.propagations.add(a.id);
};
attachmentHooks.deleted = (scope, a) => {
  for (const t of tgwRouteTables.list(scope)) {
    t.associations.delete(a.id);
    t.propagations.delete(a.id);
  }
};
attachmentHooks.association = (scope, a) =>
  tgwRouteTables.list(scope).find((t) => t.associations.has(a.id))?.id;

/** A table that can be changed: not deleting or deleted. */
function liveTable(scope: Scope, id: string | undefined): TgwRouteTableRecord {
  const t = tgwRouteTables.get(scope, id, 'TransitGatewayRouteTableId');
  if (t.state !== 'available') throw incorrectState(`${t.id} is in invalid state`);
  return t;
}

/** An attachment of the table's gateway that is not deleted. */
function attachmentFor(scope: Scope, t: TgwRouteTableRecord, id: string | undefined): TgwAttachmentRecord {
  const a = tgwAttachments.get(scope, id, 'TransitGatewayAttachmentId');
  if (a.state === 'deleted' || a.state === 'deleting') throw incorrectState(`${a.id} is in invalid state`);
  if (a.transitGatewayId !== t.transitGatewayId)
    throw invalidParameterValue(`${a.id} does not belong to transit gateway ${t.transitGatewayId}`);
  return a;
}

const createTable: Handler<
  CreateTransitGatewayRouteTableCommandInput,
  Out<CreateTransitGatewayRouteTableCommandOutput>
> = (input, ctx) => {
  const g = liveTransitGateway(ctx, input.TransitGatewayId);
  const now = ctx.clock.now();
  const t = tgwRouteTables.create(ctx, input, () => ({
    transitGatewayId: g.id,
    created: now,
    associations: new Set<string>(),
    propagations: new Set<string>(),
    routes: [],
    state: 'available' as TransitGatewayRouteTableState,
  }));
  return { TransitGatewayRouteTable: tgwRouteTables.shape(ctx, t) };
};

/** Associated tables and the gateway's default tables cannot be deleted. */
const deleteTable: Handler<
  DeleteTransitGatewayRouteTableCommandInput,
  Out<DeleteTransitGatewayRouteTableCommandOutput>
> = (input, ctx) => {
  const t = liveTable(ctx, input.TransitGatewayRouteTableId);
  const d = isDefaultFor(ctx, t);
  if (t.associations.size > 0 || d.association || d.propagation)
    throw incorrectState(`${t.id} has associations or is a default route table`);
  checkDryRun(input);
  moveTo(t, ctx.clock.now(), 'deleting', { state: 'deleted', delay: 0, visibleFor: HOUR });
  return { TransitGatewayRouteTable: tgwRouteTables.shape(ctx, t) };
};

const associate: Handler<
  AssociateTransitGatewayRouteTableCommandInput,
  Out<AssociateTransitGatewayRouteTableCommandOutput>
> = (input, ctx) => {
  const t = liveTable(ctx, input.TransitGatewayRouteTableId);
  const a = attachmentFor(ctx, t, input.TransitGatewayAttachmentId);
  const current = attachmentHooks.association(ctx, a);
  if (current)
    throw alreadyAssociated(`Transit Gateway Attachment ${a.id} is already associated to a route table.`);
  checkDryRun(input);
  t.associations.add(a.id);
  return { Association: associationShape(t, a, 'associated') };
};

const disassociate: Handler<
  DisassociateTransitGatewayRouteTableCommandInput,
  Out<DisassociateTransitGatewayRouteTableCommandOutput>
> = (input, ctx) => {
  const t = liveTable(ctx, input.TransitGatewayRouteTableId);
  const a = tgwAttachments.get(ctx, input.TransitGatewayAttachmentId, 'TransitGatewayAttachmentId');
  if (!t.associations.has(a.id))
    throw new AwsError('InvalidAssociation.NotFound', `Association ${t.id}, ${a.id} does not exist`);
  checkDryRun(input);
  t.associations.delete(a.id);
  return { Association: associationShape(t, a, 'disassociating') };
};

const associationShape = (
  t: TgwRouteTableRecord,
  a: TgwAttachmentRecord,
  State: 'associated' | 'disassociating',
) => ({
  TransitGatewayRouteTableId: t.id,
  TransitGatewayAttachmentId: a.id,
  ResourceId: a.vpcId,
  ResourceType: 'vpc' as const,
  State,
});

function propagation(enable: boolean) {
  return (
    input:
      | EnableTransitGatewayRouteTablePropagationCommandInput
      | DisableTransitGatewayRouteTablePropagationCommandInput,
    ctx: Scope,
  ) => {
    const t = liveTable(ctx, input.TransitGatewayRouteTableId);
    const a = attachmentFor(ctx, t, input.TransitGatewayAttachmentId);
    if (enable && t.propagations.has(a.id))
      throw new AwsError(
        'TransitGatewayRouteTablePropagation.Duplicate',
        `Propagation ${t.id}, ${a.id} already exists`,
      );
    if (!enable && !t.propagations.has(a.id))
      throw new AwsError('InvalidPropagation.NotFound', `Propagation ${t.id}, ${a.id} does not exist`);
    checkDryRun(input);
    if (enable) t.propagations.add(a.id);
    else t.propagations.delete(a.id);
    return {
      Propagation: {
        TransitGatewayRouteTableId: t.id,
        TransitGatewayAttachmentId: a.id,
        ResourceId: a.vpcId,
        ResourceType: 'vpc' as const,
        State: enable ? ('enabled' as const) : ('disabled' as const),
      },
    };
  };
}

function staticTarget(
  scope: Scope,
  t: TgwRouteTableRecord,
  input: { TransitGatewayAttachmentId?: string | undefined; Blackhole?: boolean | undefined },
) {
  if (input.Blackhole && input.TransitGatewayAttachmentId)
    throw invalidParameterValue('A route is either a blackhole or to an attachment, not both.');
  if (!input.Blackhole && !input.TransitGatewayAttachmentId)
    throw missingParameter('TransitGatewayAttachmentId');
  return input.Blackhole ? undefined : attachmentFor(scope, t, input.TransitGatewayAttachmentId).id;
}

function checkCidr(cidr: string | undefined): string {
  if (!cidr) throw missingParameter('DestinationCidrBlock');
  if (!parseCidr(cidr))
    throw invalidParameterValue(`Value (${cidr}) for parameter destinationCidrBlock is invalid.`);
  return cidr;
}

const createRoute: Handler<
  CreateTransitGatewayRouteCommandInput,
  Out<CreateTransitGatewayRouteCommandOutput>
> = (input, ctx) => {
  const t = liveTable(ctx, input.TransitGatewayRouteTableId);
  const cidr = checkCidr(input.DestinationCidrBlock);
  const attachmentId = staticTarget(ctx, t, input);
  if (t.routes.some((r) => r.cidr === cidr)) throw routeAlreadyExists(cidr);
  checkDryRun(input);
  const route = { cidr, attachmentId, blackhole: attachmentId === undefined };
  t.routes.push(route);
  return { Route: routeShape(ctx, route) };
};

const replaceRoute: Handler<
  ReplaceTransitGatewayRouteCommandInput,
  Out<ReplaceTransitGatewayRouteCommandOutput>
> = (input, ctx) => {
  const t = liveTable(ctx, input.TransitGatewayRouteTableId);
  const cidr = checkCidr(input.DestinationCidrBlock);
  const route = t.routes.find((r) => r.cidr === cidr);
  if (!route) throw new AwsError('InvalidRoute.NotFound', `No route to ${cidr} in route table ${t.id}`);
  const attachmentId = staticTarget(ctx, t, input);
  checkDryRun(input);
  route.attachmentId = attachmentId;
  route.blackhole = attachmentId === undefined;
  return { Route: routeShape(ctx, route) };
};

const deleteRoute: Handler<
  DeleteTransitGatewayRouteCommandInput,
  Out<DeleteTransitGatewayRouteCommandOutput>
> = (input, ctx) => {
  const t = liveTable(ctx, input.TransitGatewayRouteTableId);
  const cidr = checkCidr(input.DestinationCidrBlock);
  const route = t.routes.find((r) => r.cidr === cidr);
  if (!route) throw new AwsError('InvalidRoute.NotFound', `No route to ${cidr} in route table ${t.id}`);
  checkDryRun(input);
  t.routes = t.routes.filter((r) => r !== route);
  return { Route: { ...routeShape(ctx, route), State: 'deleted' } };
};

function routeShape(scope: Scope, r: StaticRoute): TransitGatewayRoute {
  const a = r.attachmentId ? tgwAttachments.find(scope, r.attachmentId) : undefined;
  const live = a !== undefined && a.state !== 'deleted' && a.state !== 'deleting';
  return {
    DestinationCidrBlock: r.cidr,
    Type: 'static',
    State: !r.blackhole && live ? 'active' : 'blackhole',
    TransitGatewayAttachments: a
      ? [{ TransitGatewayAttachmentId: a.id, ResourceId: a.vpcId, ResourceType: 'vpc' }]
      : undefined,
  };
}

/** Static routes, then each propagating VPC attachment's blocks (unless a static route covers the CIDR). */
function allRoutes(scope: Scope, t: TgwRouteTableRecord): TransitGatewayRoute[] {
  const out = t.routes.map((r) => routeShape(scope, r));
  for (const id of t.propagations) {
    const a = tgwAttachments.find(scope, id);
    const vpc = a && vpcs.find(scope, a.vpcId);
    if (!a || !vpc) continue;
    for (const b of vpc.cidrBlocks)
      if (b.state === 'associated' && !out.some((r) => r.DestinationCidrBlock === b.cidr))
        out.push({
          DestinationCidrBlock: b.cidr,
          Type: 'propagated',
          State: 'active',
          TransitGatewayAttachments: [
            { TransitGatewayAttachmentId: a.id, ResourceId: a.vpcId, ResourceType: 'vpc' },
          ],
        });
  }
  return out;
}

const within = (
  values: readonly string[] | undefined,
  test: (c: NonNullable<ReturnType<typeof parseCidr>>) => boolean,
) =>
  (values ?? []).some((v) => {
    const c = parseCidr(v);
    return c !== undefined && test(c);
  });

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SearchTransitGatewayRoutes.html */
const searchRoutes: Handler<
  SearchTransitGatewayRoutesCommandInput,
  Out<SearchTransitGatewayRoutesCommandOutput>
> = (input, ctx) => {
  const t = tgwRouteTables.get(ctx, input.TransitGatewayRouteTableId, 'TransitGatewayRouteTableId');
  if (!input.Filters) throw missingParameter('Filters');
  const max = input.MaxResults ?? 1000;
  if (max < 5 || max > 1000)
    throw invalidParameterValue(`Value ( ${max} ) for parameter maxResults is invalid.`);
  const special = new Map<string, Filter>();
  const plain: Filter[] = [];
  for (const f of input.Filters)
    if (f.Name?.startsWith('route-search.')) special.set(f.Name, f);
    else plain.push(f);
  const table: FilterTable<TransitGatewayRoute> = {
    type: (r) => r.Type,
    state: (r) => r.State,
    'prefix-list-id': (r) => r.PrefixListId,
    'attachment.transit-gateway-attachment-id': (r) =>
      r.TransitGatewayAttachments?.map((a) => a.TransitGatewayAttachmentId),
    'attachment.resource-id': (r) => r.TransitGatewayAttachments?.map((a) => a.ResourceId),
    'attachment.resource-type': (r) => r.TransitGatewayAttachments?.map((a) => a.ResourceType),
  };
  for (const name of special.keys())
    if (
      ![
        'route-search.exact-match',
        'route-search.longest-prefix-match',
        'route-search.subnet-of-match',
        'route-search.supernet-of-match',
      ].includes(name)
    )
      throw invalidParameterValue(`The filter '${name}' is invalid`);
  const keep = compileFilters(plain, table);
  let routes = allRoutes(ctx, t).filter(keep);
  const exact = special.get('route-search.exact-match')?.Values;
  if (exact) routes = routes.filter((r) => exact.includes(r.DestinationCidrBlock!));
  const subnetOf = special.get('route-search.subnet-of-match')?.Values;
  if (subnetOf)
    routes = routes.filter((r) =>
      within(subnetOf, (c) => cidrContains(c, parseCidr(r.DestinationCidrBlock)!)),
    );
  const supernetOf = special.get('route-search.supernet-of-match')?.Values;
  if (supernetOf)
    routes = routes.filter((r) =>
      within(supernetOf, (c) => cidrContains(parseCidr(r.DestinationCidrBlock)!, c)),
    );
  const longest = special.get('route-search.longest-prefix-match')?.Values;
  if (longest) {
    const covering = routes.filter((r) =>
      within(longest, (c) => cidrContains(parseCidr(r.DestinationCidrBlock)!, c)),
    );
    const best = Math.max(...covering.map((r) => parseCidr(r.DestinationCidrBlock)!.prefix));
    routes = covering.filter((r) => parseCidr(r.DestinationCidrBlock)!.prefix === best);
  }
  checkDryRun(input);
  return { Routes: routes.slice(0, max), AdditionalRoutesAvailable: routes.length > max };
};

/** A page of rows built from a table's attachments, filtered by the Get* actions' filters. */
function attachmentRows<
  T extends { TransitGatewayAttachmentId?: string | undefined; ResourceId?: string | undefined },
>(
  input: { Filters?: Filter[] | undefined; MaxResults?: number | undefined; NextToken?: string | undefined },
  rows: T[],
) {
  const keep = compileFilters<T>(input.Filters, {
    'resource-id': (r) => r.ResourceId,
    'resource-type': () => 'vpc',
    'transit-gateway-attachment-id': (r) => r.TransitGatewayAttachmentId,
  });
  return paginate(
    rows.filter(keep).map((r, i) => ({ seq: i + 1, r })),
    input,
    { min: 5, max: 1000 },
  );
}

const getAssociations: Handler<
  GetTransitGatewayRouteTableAssociationsCommandInput,
  Out<GetTransitGatewayRouteTableAssociationsCommandOutput>
> = (input, ctx) => {
  const t = tgwRouteTables.get(ctx, input.TransitGatewayRouteTableId, 'TransitGatewayRouteTableId');
  const rows = [...t.associations].flatMap((id) => {
    const a = tgwAttachments.find(ctx, id);
    return a
      ? [
          {
            TransitGatewayAttachmentId: a.id,
            ResourceId: a.vpcId,
            ResourceType: 'vpc' as const,
            State: 'associated' as const,
          },
        ]
      : [];
  });
  const page = attachmentRows(input, rows);
  checkDryRun(input);
  return { Associations: page.items.map((x) => x.r), NextToken: page.nextToken };
};

const getPropagations: Handler<
  GetTransitGatewayRouteTablePropagationsCommandInput,
  Out<GetTransitGatewayRouteTablePropagationsCommandOutput>
> = (input, ctx) => {
  const t = tgwRouteTables.get(ctx, input.TransitGatewayRouteTableId, 'TransitGatewayRouteTableId');
  const rows = [...t.propagations].flatMap((id) => {
    const a = tgwAttachments.find(ctx, id);
    return a
      ? [
          {
            TransitGatewayAttachmentId: a.id,
            ResourceId: a.vpcId,
            ResourceType: 'vpc' as const,
            State: 'enabled' as const,
          },
        ]
      : [];
  });
  const page = attachmentRows(input, rows);
  checkDryRun(input);
  return { TransitGatewayRouteTablePropagations: page.items.map((x) => x.r), NextToken: page.nextToken };
};

const getAttachmentPropagations: Handler<
  GetTransitGatewayAttachmentPropagationsCommandInput,
  Out<GetTransitGatewayAttachmentPropagationsCommandOutput>
> = (input, ctx) => {
  const a = tgwAttachments.get(ctx, input.TransitGatewayAttachmentId, 'TransitGatewayAttachmentId');
  const rows = tgwRouteTables
    .list(ctx)
    .filter((t) => t.propagations.has(a.id))
    .map((t, i) => ({ seq: i + 1, p: { TransitGatewayRouteTableId: t.id, State: 'enabled' as const } }));
  const keep = compileFilters<(typeof rows)[number]>(input.Filters, {
    'transit-gateway-route-table-id': (r) => r.p.TransitGatewayRouteTableId,
  });
  const page = paginate(rows.filter(keep), input, { min: 5, max: 1000 });
  checkDryRun(input);
  return { TransitGatewayAttachmentPropagations: page.items.map((x) => x.p), NextToken: page.nextToken };
};

export const transitGatewayRouteTableHandlers: HandlerMap = {
  CreateTransitGatewayRouteTable: createTable,
  DeleteTransitGatewayRouteTable: deleteTable,
  DescribeTransitGatewayRouteTables: tgwRouteTables.describeHandler(
    (i: DescribeTransitGatewayRouteTablesCommandInput) => i.TransitGatewayRouteTableIds,
    'TransitGatewayRouteTables',
  ) satisfies Handler<
    DescribeTransitGatewayRouteTablesCommandInput,
    Out<DescribeTransitGatewayRouteTablesCommandOutput>
  >,
  AssociateTransitGatewayRouteTable: associate,
  DisassociateTransitGatewayRouteTable: disassociate,
  EnableTransitGatewayRouteTablePropagation: propagation(true) as Handler<
    EnableTransitGatewayRouteTablePropagationCommandInput,
    Out<EnableTransitGatewayRouteTablePropagationCommandOutput>
  >,
  DisableTransitGatewayRouteTablePropagation: propagation(false) as Handler<
    DisableTransitGatewayRouteTablePropagationCommandInput,
    Out<DisableTransitGatewayRouteTablePropagationCommandOutput>
  >,
  CreateTransitGatewayRoute: createRoute,
  ReplaceTransitGatewayRoute: replaceRoute,
  DeleteTransitGatewayRoute: deleteRoute,
  SearchTransitGatewayRoutes: searchRoutes,
  GetTransitGatewayRouteTableAssociations: getAssociations,
  GetTransitGatewayRouteTablePropagations: getPropagations,
  GetTransitGatewayAttachmentPropagations: getAttachmentPropagations,
};
