import type {
  CreateVpcEndpointCommandInput,
  CreateVpcEndpointCommandOutput,
  DeleteVpcEndpointsCommandInput,
  DeleteVpcEndpointsCommandOutput,
  DescribeVpcEndpointServicesCommandInput,
  DescribeVpcEndpointServicesCommandOutput,
  DescribeVpcEndpointsCommandInput,
  DescribeVpcEndpointsCommandOutput,
  ModifyVpcEndpointCommandInput,
  ModifyVpcEndpointCommandOutput,
  State,
  UnsuccessfulItem,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun, idErrors, invalidParameterValue, missingParameter } from './errors';
import { isWellFormedId, newId } from './ids';
import { managedListFor, prefixListAssociationsFrom, prefixListReferencedBy } from './prefix-lists';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import {
  addRoute,
  differentNetworks,
  dropEndpointRoutes,
  registerRouteTarget,
  routeTables,
} from './route-tables';
import { findGroup } from './security-groups';
import { subnets } from './subnets';
import { vpcs } from './vpcs';

/**
 * VPC endpoints. A Gateway endpoint (S3, DynamoDB) is available at once and adds a route to the
 * service's AWS-managed prefix list in each of its route tables; an Interface endpoint puts a
 * network interface in each of its subnets and is `pending` for the `pending` delay.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
export interface VpcEndpointRecord extends ResourceRecord {
  vpcId: string;
  type: 'Gateway' | 'Interface';
  serviceName: string;
  routeTableIds: string[];
  /** subnet id → the endpoint's interface in it */
  interfaces: Map<string, string>;
  groupIds: string[];
  policy: string;
  privateDns: boolean;
  created: number;
  availableAt: number;
}

const FULL_ACCESS = JSON.stringify({
  Version: '2008-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
});

/** The services of a region, by the endpoint types they offer. */
const INTERFACE_SERVICES = [
  's3',
  'ec2',
  'ec2messages',
  'ssm',
  'ssmmessages',
  'sts',
  'logs',
  'monitoring',
  'ecr.api',
  'ecr.dkr',
  'secretsmanager',
  'kms',
  'sqs',
  'sns',
  'elasticloadbalancing',
  'execute-api',
  'events',
];
const GATEWAY_SERVICES = ['s3', 'dynamodb'];

function serviceTypes(region: Region, name: string): ('Gateway' | 'Interface')[] {
  const prefix = `com.amazonaws.${region.name}.`;
  if (!name.startsWith(prefix)) return [];
  const short = name.slice(prefix.length);
  return [
    ...(GATEWAY_SERVICES.includes(short) ? (['Gateway'] as const) : []),
    ...(INTERFACE_SERVICES.includes(short) ? (['Interface'] as const) : []),
  ];
}

/** The wire says `pending`/`available` in lower case, whatever the SDK's enum spells (Terraform waits for 'available'). */
const stateOf = (e: VpcEndpointRecord, now: number) =>
  (now < e.availableAt ? 'pending' : 'available') as string as State;

export const vpcEndpoints = defineFamily<VpcEndpointRecord, VpcEndpoint>({
  prefix: 'vpce',
  resourceType: 'vpc-endpoint',
  errors: idErrors({
    notFound: 'InvalidVpcEndpointId.NotFound',
    malformed: 'InvalidVpcEndpointId.Malformed',
    noun: 'vpcEndpoint',
    prefix: 'vpce',
  }),
  shape: (e, view) => ({
    VpcEndpointId: e.id,
    VpcEndpointType: e.type,
    VpcId: e.vpcId,
    ServiceName: e.serviceName,
    State: stateOf(e, view.now),
    PolicyDocument: e.policy,
    RouteTableIds: e.routeTableIds,
    SubnetIds: [...e.interfaces.keys()],
    NetworkInterfaceIds: [...e.interfaces.values()],
    Groups: e.groupIds.map((GroupId) => ({ GroupId, GroupName: findGroupName(view.region, GroupId) })),
    PrivateDnsEnabled: e.privateDns,
    RequesterManaged: false,
    DnsEntries:
      e.type === 'Interface'
        ? [
            {
              DnsName: `${e.id}.${e.serviceName.split('.').slice(3).reverse().join('.')}.${view.region.name}.vpce.amazonaws.com`,
              HostedZoneId: 'Z7HUB22UULQXV',
            },
          ]
        : [],
    IpAddressType: 'ipv4',
    CreationTimestamp: new Date(e.created),
    OwnerId: view.region.accountId,
    Tags: view.tags(e.id),
  }),
  filters: (view) => ({
    'vpc-endpoint-id': (e) => e.id,
    'vpc-id': (e) => e.vpcId,
    'service-name': (e) => e.serviceName,
    'vpc-endpoint-type': (e) => e.type,
    'vpc-endpoint-state': (e) => stateOf(e, view.now),
    'ip-address-type': () => 'ipv4',
  }),
});

function findGroupName(region: Region, id: string): string | undefined {
  try {
    return findGroup(region, id).name;
  } catch {
    return undefined;
  }
}

function checkTables(scope: Scope, vpcId: string, ids: readonly string[]) {
  return ids.map((id) => {
    const t = routeTables.get(scope, id, 'RouteTableId');
    if (t.vpcId !== vpcId) throw invalidParameterValue(`route table ${t.id} does not belong to vpc ${vpcId}`);
    return t;
  });
}

function checkSubnets(
  scope: Scope,
  vpcId: string,
  ids: readonly string[],
  taken: ReadonlyMap<string, string>,
) {
  const zones = new Set([...taken.keys()].map((id) => subnets.find(scope, id)?.zone));
  return ids.map((id) => {
    const s = subnets.get(scope, id, 'SubnetId');
    if (s.vpcId !== vpcId) throw invalidParameterValue(`The subnet ${s.id} does not belong to vpc ${vpcId}`);
    // One interface per zone (https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html).
    if (zones.has(s.zone)) throw duplicateSubnetsInSameZone();
    zones.add(s.zone);
    return s;
  });
}

const duplicateSubnetsInSameZone = () =>
  new AwsError('DuplicateSubnetsInSameZone', 'Found another VPC endpoint subnet in the availability zone');

/** The routes a gateway endpoint adds: its service's prefix list, to the endpoint. */
function routeFor(scope: Scope, e: VpcEndpointRecord, tableId: string): void {
  const list = managedListFor(scope, e.serviceName);
  const t = routeTables.find(scope, tableId);
  if (!list || !t) return;
  addRoute(t, {
    destination: { field: 'DestinationPrefixListId', value: list.id },
    target: { field: 'GatewayId', id: e.id },
    origin: 'CreateRoute',
    endpointId: e.id,
  });
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html */
const createVpcEndpoint: Handler<CreateVpcEndpointCommandInput, Out<CreateVpcEndpointCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (!input.ServiceName) throw missingParameter('ServiceName');
  const type = input.VpcEndpointType ?? 'Gateway';
  if (type !== 'Gateway' && type !== 'Interface')
    throw invalidParameterValue(`Value (${type}) for parameter vpcEndpointType is invalid.`);
  const offered = serviceTypes(ctx.region, input.ServiceName);
  if (offered.length === 0)
    throw new AwsError(
      'InvalidServiceName',
      `The Vpc Endpoint Service '${input.ServiceName}' does not exist`,
    );
  if (!offered.includes(type))
    throw new AwsError(
      'InvalidParameter',
      `The Vpc Endpoint Service '${input.ServiceName}' does not support ${type} endpoints`,
    );
  const tables = type === 'Gateway' ? checkTables(ctx, vpc.id, input.RouteTableIds ?? []) : [];
  if (type === 'Interface' && input.RouteTableIds?.length)
    throw invalidParameterValue('Route tables are not supported for Interface endpoints');
  const subnetList = type === 'Interface' ? checkSubnets(ctx, vpc.id, input.SubnetIds ?? [], new Map()) : [];
  if (type === 'Gateway' && input.SubnetIds?.length)
    throw invalidParameterValue('Subnets are not supported for Gateway endpoints');
  const groupIds = type === 'Interface' ? (input.SecurityGroupIds ?? []) : [];
  for (const g of groupIds) findGroup(ctx.region, g);
  if (input.PolicyDocument) {
    try {
      JSON.parse(input.PolicyDocument);
    } catch {
      throw invalidParameterValue('The policy document is not valid JSON');
    }
  }
  const e = vpcEndpoints.create(ctx, input, () => ({
    vpcId: vpc.id,
    type,
    serviceName: input.ServiceName!,
    routeTableIds: tables.map((t) => t.id),
    interfaces: new Map(subnetList.map((s) => [s.id, newId('eni')])),
    groupIds: groupIds.length ? [...groupIds] : [],
    policy: input.PolicyDocument ?? FULL_ACCESS,
    privateDns: type === 'Interface' ? (input.PrivateDnsEnabled ?? true) : false,
    created: now,
    availableAt: type === 'Interface' ? now + ctx.delays.pending : now,
  }));
  for (const t of e.routeTableIds) routeFor(ctx, e, t);
  return { VpcEndpoint: vpcEndpoints.shape(ctx, e), ClientToken: input.ClientToken };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html */
const modifyVpcEndpoint: Handler<ModifyVpcEndpointCommandInput, Out<ModifyVpcEndpointCommandOutput>> = (
  input,
  ctx,
) => {
  const e = vpcEndpoints.get(ctx, input.VpcEndpointId, 'VpcEndpointId');
  const addTables = checkTables(ctx, e.vpcId, input.AddRouteTableIds ?? []).map((t) => t.id);
  const removeTables = input.RemoveRouteTableIds ?? [];
  if ((addTables.length || removeTables.length) && e.type !== 'Gateway')
    throw invalidParameterValue('Route tables are not supported for Interface endpoints');
  const kept = new Map([...e.interfaces].filter(([s]) => !(input.RemoveSubnetIds ?? []).includes(s)));
  const addSubnets = checkSubnets(ctx, e.vpcId, input.AddSubnetIds ?? [], kept);
  if ((addSubnets.length || input.RemoveSubnetIds?.length) && e.type !== 'Interface')
    throw invalidParameterValue('Subnets are not supported for Gateway endpoints');
  if (input.PolicyDocument) {
    try {
      JSON.parse(input.PolicyDocument);
    } catch {
      throw invalidParameterValue('The policy document is not valid JSON');
    }
  }
  checkDryRun(input);
  for (const t of addTables)
    if (!e.routeTableIds.includes(t)) {
      e.routeTableIds.push(t);
      routeFor(ctx, e, t);
    }
  for (const t of removeTables) {
    e.routeTableIds = e.routeTableIds.filter((x) => x !== t);
    const table = routeTables.find(ctx, t);
    if (table) table.routes = table.routes.filter((r) => r.endpointId !== e.id);
  }
  for (const s of addSubnets) kept.set(s.id, newId('eni'));
  e.interfaces = kept;
  if (input.ResetPolicy) e.policy = FULL_ACCESS;
  if (input.PolicyDocument) e.policy = input.PolicyDocument;
  if (input.PrivateDnsEnabled !== undefined) e.privateDns = input.PrivateDnsEnabled;
  e.groupIds = [
    ...e.groupIds.filter((g) => !(input.RemoveSecurityGroupIds ?? []).includes(g)),
    ...(input.AddSecurityGroupIds ?? []),
  ];
  return { Return: true };
};

/** Unknown ids are reported in Unsuccessful, not as an error: the others are still deleted. */
const deleteVpcEndpoints: Handler<DeleteVpcEndpointsCommandInput, Out<DeleteVpcEndpointsCommandOutput>> = (
  input,
  ctx,
) => {
  const ids = input.VpcEndpointIds ?? [];
  if (ids.length === 0) throw missingParameter('VpcEndpointId');
  checkDryRun(input);
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of ids) {
    const e = isWellFormedId('vpce', id) ? vpcEndpoints.find(ctx, id) : undefined;
    if (!e) {
      Unsuccessful.push({
        ResourceId: id,
        Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The VPC endpoint '${id}' does not exist` },
      });
      continue;
    }
    dropEndpointRoutes(ctx, e.id);
    vpcEndpoints.remove(ctx.region, e);
  }
  return { Unsuccessful };
};

/** The services endpoints can be made for, with the types each offers. */
const describeVpcEndpointServices: Handler<
  DescribeVpcEndpointServicesCommandInput,
  Out<DescribeVpcEndpointServicesCommandOutput>
> = (input, ctx) => {
  const names = [...new Set([...GATEWAY_SERVICES, ...INTERFACE_SERVICES])]
    .sort()
    .map((s) => `com.amazonaws.${ctx.region.name}.${s}`);
  for (const n of input.ServiceNames ?? [])
    if (!names.includes(n))
      throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${n}' does not exist`);
  const wanted = input.ServiceNames?.length ? names.filter((n) => input.ServiceNames!.includes(n)) : names;
  checkDryRun(input);
  return {
    ServiceNames: wanted,
    ServiceDetails: wanted.flatMap((ServiceName) =>
      serviceTypes(ctx.region, ServiceName).map((t) => ({
        ServiceName,
        ServiceType: [{ ServiceType: t }],
        AvailabilityZones: ctx.region.zones,
        Owner: 'amazon',
        BaseEndpointDnsNames: [
          `${ServiceName.split('.').slice(3).reverse().join('.')}.${ctx.region.name}.vpce.amazonaws.com`,
        ],
        VpcEndpointPolicySupported: true,
        AcceptanceRequired: false,
        ManagesVpcEndpoints: false,
        SupportedIpAddressTypes: ['ipv4'],
      })),
    ),
  };
};

// Gateway Load Balancer endpoints are route targets; gateway endpoints' own routes read their id too.
const now = (scope: Scope) => scope.clock.now();
registerRouteTarget('vpce', {
  check(scope, id, vpc) {
    const e = vpcEndpoints.get(scope, id, 'VpcEndpointId');
    if (e.vpcId !== vpc.id) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id) => {
    const e = vpcEndpoints.find(scope, id);
    return e !== undefined && now(scope) >= e.availableAt;
  },
});
vpcs.blockedBy('VPC endpoints', (scope, vpc) => vpcEndpoints.list(scope).some((e) => e.vpcId === vpc.id));
subnets.blockedBy('interface endpoints', (scope, s) =>
  vpcEndpoints.list(scope).some((e) => e.interfaces.has(s.id)),
);
// Routes to a prefix list keep it: a list a table routes to cannot be deleted, and is associated with it.
const tablesRouting = (scope: Scope, id: string) =>
  routeTables
    .list(scope)
    .filter((t) => t.routes.some((r) => r.destination.value === id))
    .map((t) => t.id);
prefixListReferencedBy((scope, id) => tablesRouting(scope, id).length > 0);
prefixListAssociationsFrom(tablesRouting);

export const vpcEndpointHandlers: HandlerMap = {
  CreateVpcEndpoint: createVpcEndpoint,
  ModifyVpcEndpoint: modifyVpcEndpoint,
  DeleteVpcEndpoints: deleteVpcEndpoints,
  DescribeVpcEndpoints: vpcEndpoints.describeHandler(
    (i: DescribeVpcEndpointsCommandInput) => i.VpcEndpointIds,
    'VpcEndpoints',
  ) satisfies Handler<DescribeVpcEndpointsCommandInput, Out<DescribeVpcEndpointsCommandOutput>>,
  DescribeVpcEndpointServices: describeVpcEndpointServices,
};
