import type {
  ApplySecurityGroupsToLoadBalancerCommandInput,
  ApplySecurityGroupsToLoadBalancerCommandOutput,
  AttachLoadBalancerToSubnetsCommandInput,
  AttachLoadBalancerToSubnetsCommandOutput,
  DetachLoadBalancerFromSubnetsCommandInput,
  DetachLoadBalancerFromSubnetsCommandOutput,
  DisableAvailabilityZonesForLoadBalancerCommandInput,
  DisableAvailabilityZonesForLoadBalancerCommandOutput,
  EnableAvailabilityZonesForLoadBalancerCommandInput,
  EnableAvailabilityZonesForLoadBalancerCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  defaultSubnetView,
  defaultVpcIdView,
  findSecurityGroupView,
  findSubnetView,
  type SubnetView,
} from '../ec2/view';
import {
  invalidConfigurationRequest,
  invalidSecurityGroup,
  invalidSubnet,
  subnetNotFound,
  validationError,
} from './errors';
import { findLoadBalancer, type LoadBalancer } from './state';

/** Zones named in a request, each one of the region's. */
export function checkZones(region: Region, zones: string[]): string[] {
  if (zones.length === 0) throw validationError('AvailabilityZones must contain at least one zone');
  for (const z of zones)
    if (!region.zones.includes(z)) throw validationError(`Invalid Availability Zone: ${z}`);
  return [...new Set(zones)];
}

/**
 * The default VPC's subnets for zones named in a request. Since EC2-Classic was retired, a load
 * balancer created with AvailabilityZones lives in the default VPC, in its default subnets:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-manage-subnets.html
 * Undefined when the region has no default VPC (then the load balancer keeps bare zones).
 */
export function defaultSubnets(region: Region, zones: string[]): SubnetView[] | undefined {
  const subnets = zones.map((z) => defaultSubnetView(region, z));
  return subnets.every((s) => s !== undefined) && subnets.length ? subnets : undefined;
}

/** Subnets named in a request: they exist, share one VPC, and lie in distinct zones (one subnet per zone). */
export function resolveSubnets(region: Region, ids: string[], vpcId?: string): SubnetView[] {
  if (ids.length === 0) throw validationError('Subnets must contain at least one subnet');
  const missing = ids.filter((id) => !findSubnetView(region, id));
  if (missing.length) throw subnetNotFound(missing);
  const subnets = [...new Set(ids)].map((id) => findSubnetView(region, id)!);
  const vpcs = new Set([vpcId, ...subnets.map((s) => s.vpcId)].filter((v) => v !== undefined));
  if (vpcs.size > 1) throw invalidSubnet('All subnets of a load balancer must be in the same VPC');
  const zones = subnets.map((s) => s.availabilityZone);
  if (new Set(zones).size !== zones.length)
    throw invalidSubnet('A load balancer can have only one subnet per Availability Zone');
  return subnets;
}

/** Security groups named in a request: they exist and belong to the load balancer's VPC. */
export function resolveSecurityGroups(region: Region, ids: string[], vpcId: string): string[] {
  if (ids.length === 0) throw validationError('SecurityGroups must contain at least one security group');
  const invalid = ids.filter((id) => findSecurityGroupView(region, id)?.vpcId !== vpcId);
  if (invalid.length) throw invalidSecurityGroup(invalid);
  return [...new Set(ids)];
}

function requireVpc(lb: LoadBalancer): string {
  if (lb.vpcId === undefined)
    throw invalidConfigurationRequest(
      `LoadBalancer ${lb.name} is not in a VPC: use Enable/DisableAvailabilityZonesForLoadBalancer`,
    );
  return lb.vpcId;
}

/** Zones are managed by name outside a VPC and in the default VPC; elsewhere subnets must be named. */
function requireZoneManaged(region: Region, lb: LoadBalancer): void {
  if (lb.vpcId !== undefined && lb.vpcId !== defaultVpcIdView(region))
    throw invalidConfigurationRequest(
      `LoadBalancer ${lb.name} is in a non-default VPC: use Attach/DetachLoadBalancerToSubnets`,
    );
}

const enableAvailabilityZones: Handler<
  EnableAvailabilityZonesForLoadBalancerCommandInput,
  Out<EnableAvailabilityZonesForLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireZoneManaged(ctx.region, lb);
  const now = ctx.clock.now();
  for (const z of checkZones(ctx.region, input.AvailabilityZones ?? [])) {
    if (lb.zones.has(z)) continue;
    if (lb.vpcId !== undefined) {
      const subnet = defaultSubnetView(ctx.region, z);
      if (!subnet) throw validationError(`The default VPC has no subnet in ${z}`);
      lb.subnets.push(subnet.subnetId);
    }
    lb.zones.set(z, now);
  }
  return { AvailabilityZones: [...lb.zones.keys()] };
};

// A load balancer keeps at least one zone: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DisableAvailabilityZonesForLoadBalancer.html
const disableAvailabilityZones: Handler<
  DisableAvailabilityZonesForLoadBalancerCommandInput,
  Out<DisableAvailabilityZonesForLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireZoneManaged(ctx.region, lb);
  const removed = new Set(checkZones(ctx.region, input.AvailabilityZones ?? []));
  const left = [...lb.zones.keys()].filter((z) => !removed.has(z));
  if (left.length === 0) throw validationError('Cannot remove all AvailabilityZones from a LoadBalancer');
  for (const z of removed) lb.zones.delete(z);
  lb.subnets = lb.subnets.filter(
    (id) => !removed.has(findSubnetView(ctx.region, id)?.availabilityZone ?? ''),
  );
  return { AvailabilityZones: left };
};

const attachLoadBalancerToSubnets: Handler<
  AttachLoadBalancerToSubnetsCommandInput,
  Out<AttachLoadBalancerToSubnetsCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const vpcId = requireVpc(lb);
  const all = resolveSubnets(ctx.region, [...lb.subnets, ...(input.Subnets ?? [])], vpcId);
  for (const s of all)
    if (!lb.zones.has(s.availabilityZone)) lb.zones.set(s.availabilityZone, ctx.clock.now());
  lb.subnets = all.map((s) => s.subnetId);
  return { Subnets: [...lb.subnets] };
};

const detachLoadBalancerFromSubnets: Handler<
  DetachLoadBalancerFromSubnetsCommandInput,
  Out<DetachLoadBalancerFromSubnetsCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireVpc(lb);
  const removed = new Set(input.Subnets ?? []);
  const left = lb.subnets.filter((s) => !removed.has(s));
  if (left.length === 0) throw validationError('Cannot remove all subnets from a LoadBalancer');
  lb.subnets = left;
  const zones = new Set(left.map((id) => findSubnetView(ctx.region, id)?.availabilityZone));
  for (const z of [...lb.zones.keys()]) if (!zones.has(z)) lb.zones.delete(z);
  return { Subnets: [...left] };
};

const applySecurityGroupsToLoadBalancer: Handler<
  ApplySecurityGroupsToLoadBalancerCommandInput,
  Out<ApplySecurityGroupsToLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  lb.securityGroups = resolveSecurityGroups(ctx.region, input.SecurityGroups ?? [], requireVpc(lb));
  return { SecurityGroups: [...lb.securityGroups] };
};

export const zoneSubnetHandlers: HandlerMap = {
  EnableAvailabilityZonesForLoadBalancer: enableAvailabilityZones,
  DisableAvailabilityZonesForLoadBalancer: disableAvailabilityZones,
  AttachLoadBalancerToSubnets: attachLoadBalancerToSubnets,
  DetachLoadBalancerFromSubnets: detachLoadBalancerFromSubnets,
  ApplySecurityGroupsToLoadBalancer: applySecurityGroupsToLoadBalancer,
};
