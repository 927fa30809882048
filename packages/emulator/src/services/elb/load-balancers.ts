import { randomInt } from 'node:crypto';
import type {
  CreateLoadBalancerCommandInput,
  CreateLoadBalancerCommandOutput,
  DeleteLoadBalancerCommandInput,
  DeleteLoadBalancerCommandOutput,
  DescribeLoadBalancersCommandInput,
  DescribeLoadBalancersCommandOutput,
  LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { defaultSecurityGroupView, findSecurityGroupView } from '../ec2/view';
import { defaultAttributes } from './attributes';
import { duplicateLoadBalancerName, invalidScheme, tooManyLoadBalancers, validationError } from './errors';
import { defaultHealthCheck } from './health';
import { accountLimits } from './limits';
import { addListeners } from './listeners';
import { describePolicies } from './policies';
import { elbState, findLoadBalancer, type LoadBalancer } from './state';
import { applyTags } from './tags';
import { checkZones, defaultSubnets, resolveSecurityGroups, resolveSubnets } from './zones-subnets';

/**
 * The Route 53 hosted zone of Classic load balancers per region:
 * https://docs.aws.amazon.com/general/latest/gr/elb.html (the emulator answers us-east-1's for other regions).
 */
const hostedZoneIds: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'ap-south-1': 'ZP97RAFLXTNZK',
  'sa-east-1': 'Z2P70J7HTTTPLU',
};

// Up to 32 alphanumerics and hyphens, not starting or ending with a hyphen: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_CreateLoadBalancer.html
function checkName(name: string | undefined): string {
  if (!name || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name))
    throw validationError(
      `LoadBalancerName '${name ?? ''}' must have at most 32 characters, contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    );
  return name;
}

function dnsName(region: Region, name: string, scheme: LoadBalancer['scheme']): string {
  const prefix = scheme === 'internal' ? 'internal-' : '';
  return `${prefix}${name}-${randomInt(1_000_000_000, 2_000_000_000)}.${region.name}.elb.amazonaws.com`.toLowerCase();
}

const listenersKey = (lb: LoadBalancer) => JSON.stringify([...lb.listeners.values()].map((l) => l.listener));

/**
 * Creating a load balancer that exists with the same listeners answers its DNS name again; with other
 * listeners it is DuplicateLoadBalancerName.
 */
const createLoadBalancer: Handler<CreateLoadBalancerCommandInput, Out<CreateLoadBalancerCommandOutput>> = (
  input,
  ctx,
) => {
  const name = checkName(input.LoadBalancerName);
  const state = elbState(ctx.region);
  const zones = input.AvailabilityZones ?? [];
  const subnetIds = input.Subnets ?? [];
  if (zones.length && subnetIds.length)
    throw validationError('Only one of SubnetIds or AvailabilityZones may be specified');
  if (!zones.length && !subnetIds.length)
    throw validationError('Either AvailabilityZones or SubnetIds must be specified');
  const scheme = input.Scheme ?? 'internet-facing';
  if (scheme !== 'internet-facing' && scheme !== 'internal') throw invalidScheme(scheme);
  if (scheme === 'internal' && !subnetIds.length) throw invalidScheme(scheme);

  const now = ctx.clock.now();
  // Named zones put the load balancer in the default VPC's subnets, when the region still has one.
  const subnets = subnetIds.length
    ? resolveSubnets(ctx.region, subnetIds)
    : (defaultSubnets(ctx.region, checkZones(ctx.region, zones)) ?? []);
  const vpcId = subnets[0]?.vpcId;
  const lb: LoadBalancer = {
    name,
    dnsName: dnsName(ctx.region, name, scheme),
    scheme,
    createdAt: now,
    listeners: new Map(),
    zones: new Map(
      (subnets.length ? subnets.map((s) => s.availabilityZone) : checkZones(ctx.region, zones)).map((z) => [
        z,
        now,
      ]),
    ),
    subnets: subnets.map((s) => s.subnetId),
    vpcId,
    securityGroups: [],
    healthCheck: defaultHealthCheck(0), // replaced below, once the first listener is known
    healthCheckSince: now,
    instances: new Map(),
    policies: new Map(),
    backendPolicies: new Map(),
    attributes: defaultAttributes(),
    tags: new Map(),
  };
  addListeners(lb, input.Listeners);
  lb.healthCheck = defaultHealthCheck(lb.listeners.values().next().value?.listener.InstancePort ?? 80);
  if (input.SecurityGroups?.length) {
    if (vpcId === undefined)
      throw validationError('SecurityGroups can only be specified for a load balancer in a VPC');
    lb.securityGroups = resolveSecurityGroups(ctx.region, input.SecurityGroups, vpcId);
  } else if (vpcId !== undefined) {
    // Without SecurityGroups a load balancer in a VPC gets that VPC's default group.
    const group = defaultSecurityGroupView(ctx.region, vpcId);
    if (group) lb.securityGroups = [group.groupId];
  }
  if (input.Tags?.length) applyTags(lb, input.Tags);

  const existing = state.loadBalancers.get(name);
  if (existing) {
    if (listenersKey(existing) !== listenersKey(lb) || existing.scheme !== lb.scheme)
      throw duplicateLoadBalancerName(name);
    return { DNSName: existing.dnsName };
  }
  const max = accountLimits['classic-load-balancers'];
  if (state.loadBalancers.size >= max) throw tooManyLoadBalancers(max);
  state.loadBalancers.set(name, lb);
  return { DNSName: lb.dnsName };
};

/** Deleting a load balancer that does not exist succeeds, as in AWS. */
const deleteLoadBalancer: Handler<DeleteLoadBalancerCommandInput, Out<DeleteLoadBalancerCommandOutput>> = (
  input,
  ctx,
) => {
  if (input.LoadBalancerName) elbState(ctx.region).loadBalancers.delete(input.LoadBalancerName);
  return {};
};

function describeLoadBalancer(region: Region, lb: LoadBalancer): LoadBalancerDescription {
  const firstGroup = lb.securityGroups[0];
  const groupName = firstGroup
    ? (findSecurityGroupView(region, firstGroup)?.groupName ?? firstGroup)
    : 'default';
  return {
    LoadBalancerName: lb.name,
    DNSName: lb.dnsName,
    // Internal load balancers have no public hosted zone name.
    ...(lb.scheme === 'internet-facing' ? { CanonicalHostedZoneName: lb.dnsName } : {}),
    CanonicalHostedZoneNameID: hostedZoneIds[region.name] ?? hostedZoneIds['us-east-1'],
    ListenerDescriptions: [...lb.listeners.values()].map((l) => ({
      Listener: { ...l.listener },
      PolicyNames: [...l.policyNames],
    })),
    Policies: describePolicies(lb),
    BackendServerDescriptions: [...lb.backendPolicies].map(([InstancePort, PolicyNames]) => ({
      InstancePort,
      PolicyNames: [...PolicyNames],
    })),
    AvailabilityZones: [...lb.zones.keys()],
    Subnets: [...lb.subnets],
    ...(lb.vpcId ? { VPCId: lb.vpcId } : {}),
    Instances: [...lb.instances.keys()].map((InstanceId) => ({ InstanceId })),
    HealthCheck: { ...lb.healthCheck },
    // In a VPC the source group is the load balancer's first group; outside one it is ELB's own:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-groups.html
    SourceSecurityGroup: lb.vpcId
      ? { OwnerAlias: region.accountId, GroupName: groupName }
      : { OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg' },
    SecurityGroups: [...lb.securityGroups],
    CreatedTime: new Date(lb.createdAt),
    Scheme: lb.scheme,
  };
}

const encodeMarker = (name: string) => Buffer.from(name, 'utf8').toString('base64');
const decodeMarker = (marker: string) => Buffer.from(marker, 'base64').toString('utf8');

/** Pages in creation order; the marker is the next load balancer's name, opaque to callers. */
const describeLoadBalancers: Handler<
  DescribeLoadBalancersCommandInput,
  Out<DescribeLoadBalancersCommandOutput>
> = (input, ctx) => {
  const names = input.LoadBalancerNames ?? [];
  const all = names.length
    ? [...new Set(names)].map((n) => findLoadBalancer(ctx, n))
    : [...elbState(ctx.region).loadBalancers.values()];
  const size = input.PageSize ?? 400;
  if (!Number.isInteger(size) || size < 1 || size > 400)
    throw validationError('PageSize must be between 1 and 400');
  let start = 0;
  if (input.Marker !== undefined) {
    const next = decodeMarker(input.Marker);
    start = all.findIndex((lb) => lb.name === next);
    if (start < 0) throw validationError(`Invalid Marker: ${input.Marker}`);
  }
  const page = all.slice(start, start + size);
  const following = all[start + size];
  return {
    LoadBalancerDescriptions: page.map((lb) => describeLoadBalancer(ctx.region, lb)),
    ...(following ? { NextMarker: encodeMarker(following.name) } : {}),
  };
};

export const loadBalancerHandlers: HandlerMap = {
  CreateLoadBalancer: createLoadBalancer,
  DeleteLoadBalancer: deleteLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
};
