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
  invalidConfigurationRequest,
  invalidSecurityGroup,
  invalidSubnet,
  subnetNotFound,
  validationError,
} from './errors';
import { findSecurityGroup, findSubnet, type SubnetRef } from './network';
import { findLoadBalancer, type LoadBalancer } from './state';

/** Zones named in a request, each one of the region's. */
export function checkZones(region: Region, zones: string[]): string[] {
  if (zones.length === 0) throw validationError('AvailabilityZones must contain at least one zone');
  for (const z of zones)
    if (!region.zones.includes(z)) throw validationError(`Invalid Availability Zone: ${z}`);
  return [...new Set(zones)];
}

/** Subnets named in a request: they exist, share one VPC, and lie in distinct zones (one subnet per zone). */
export function resolveSubnets(region: Region, ids: string[], vpcId?: string): SubnetRef[] {
  if (ids.length === 0) throw validationError('Subnets must contain at least one subnet');
  const missing = ids.filter((id) => !findSubnet(region, id));
  if (missing.length) throw subnetNotFound(missing);
  const subnets = [...new Set(ids)].map((id) => findSubnet(region, id) as SubnetRef);
  const vpcs = new Set([vpcId, ...subnets.map((s) => s.vpcId)].filter((v) => v !== undefined));
  if (vpcs.size > 1) throw invalidSubnet('All subnets of a load balancer must be in the same VPC');
  const zones = subnets.map((s) => s.availabilityZone).filter((z) => z !== undefined);
  if (new Set(zones).size !== zones.length)
    throw invalidSubnet('A load balancer can have only one subnet per Availability Zone');
  return subnets;
}

/** Security groups named in a request; they apply only to a load balancer in a VPC. */
export function resolveSecurityGroups(region: Region, ids: string[]): string[] {
  if (ids.length === 0) throw validationError('SecurityGroups must contain at least one security group');
  const missing = ids.filter((id) => !findSecurityGroup(region, id));
  if (missing.length) throw invalidSecurityGroup(missing);
  return [...new Set(ids)];
}

function requireVpc(lb: LoadBalancer): void {
  if (lb.subnets.length === 0)
    throw invalidConfigurationRequest(
      `LoadBalancer ${lb.name} is not in a VPC: use Enable/DisableAvailabilityZonesForLoadBalancer`,
    );
}

function requireClassic(lb: LoadBalancer): void {
  if (lb.subnets.length > 0)
    throw invalidConfigurationRequest(
      `LoadBalancer ${lb.name} is in a VPC: use Attach/DetachLoadBalancerToSubnets`,
    );
}

const enableAvailabilityZones: Handler<
  EnableAvailabilityZonesForLoadBalancerCommandInput,
  Out<EnableAvailabilityZonesForLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireClassic(lb);
  for (const z of checkZones(ctx.region, input.AvailabilityZones ?? []))
    if (!lb.zones.has(z)) lb.zones.set(z, ctx.clock.now());
  return { AvailabilityZones: [...lb.zones.keys()] };
};

// A load balancer keeps at least one zone: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DisableAvailabilityZonesForLoadBalancer.html
const disableAvailabilityZones: Handler<
  DisableAvailabilityZonesForLoadBalancerCommandInput,
  Out<DisableAvailabilityZonesForLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireClassic(lb);
  const removed = new Set(checkZones(ctx.region, input.AvailabilityZones ?? []));
  const left = [...lb.zones.keys()].filter((z) => !removed.has(z));
  if (left.length === 0) throw validationError('Cannot remove all AvailabilityZones from a LoadBalancer');
  for (const z of removed) lb.zones.delete(z);
  return { AvailabilityZones: left };
};

const attachLoadBalancerToSubnets: Handler<
  AttachLoadBalancerToSubnetsCommandInput,
  Out<AttachLoadBalancerToSubnetsCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireVpc(lb);
  const all = resolveSubnets(ctx.region, [...lb.subnets, ...(input.Subnets ?? [])], lb.vpcId);
  for (const s of all)
    if (s.availabilityZone && !lb.zones.has(s.availabilityZone))
      lb.zones.set(s.availabilityZone, ctx.clock.now());
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
  const zones = new Set(left.map((id) => findSubnet(ctx.region, id)?.availabilityZone));
  for (const z of [...lb.zones.keys()]) if (!zones.has(z)) lb.zones.delete(z);
  return { Subnets: [...left] };
};

const applySecurityGroupsToLoadBalancer: Handler<
  ApplySecurityGroupsToLoadBalancerCommandInput,
  Out<ApplySecurityGroupsToLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  requireVpc(lb);
  lb.securityGroups = resolveSecurityGroups(ctx.region, input.SecurityGroups ?? []);
  return { SecurityGroups: [...lb.securityGroups] };
};

export const zoneSubnetHandlers: HandlerMap = {
  EnableAvailabilityZonesForLoadBalancer: enableAvailabilityZones,
  DisableAvailabilityZonesForLoadBalancer: disableAvailabilityZones,
  AttachLoadBalancerToSubnets: attachLoadBalancerToSubnets,
  DetachLoadBalancerFromSubnets: detachLoadBalancerFromSubnets,
  ApplySecurityGroupsToLoadBalancer: applySecurityGroupsToLoadBalancer,
};
