import type {
  ConfigureHealthCheckCommandInput,
  ConfigureHealthCheckCommandOutput,
  DeregisterInstancesFromLoadBalancerCommandInput,
  DeregisterInstancesFromLoadBalancerCommandOutput,
  DescribeInstanceHealthCommandInput,
  DescribeInstanceHealthCommandOutput,
  HealthCheck,
  InstanceState,
  RegisterInstancesWithLoadBalancerCommandInput,
  RegisterInstancesWithLoadBalancerCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, InstanceView, Out, RequestContext } from '../../core/types';
import { findInstanceView } from '../ec2/view';
import { invalidConfigurationRequest, invalidInstance, validationError } from './errors';
import { accountLimits } from './limits';
import { type Defined, findLoadBalancer, type LoadBalancer } from './state';

/** The health check a new load balancer gets: TCP to the first listener's instance port. */
export function defaultHealthCheck(instancePort: number): Defined<HealthCheck> {
  return {
    Target: `TCP:${instancePort}`,
    Interval: 30,
    Timeout: 5,
    UnhealthyThreshold: 2,
    HealthyThreshold: 10,
  };
}

const between = (v: number | undefined, min: number, max: number): v is number =>
  v !== undefined && Number.isInteger(v) && v >= min && v <= max;

/** Limits from https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_HealthCheck.html */
function checkHealthCheck(hc: HealthCheck | undefined): Defined<HealthCheck> {
  if (!hc) throw validationError('HealthCheck is required');
  const target = hc.Target ?? '';
  const m = /^(HTTP|HTTPS|TCP|SSL):(\d{1,5})(.*)$/i.exec(target);
  const protocol = m?.[1]?.toUpperCase();
  const port = Number(m?.[2]);
  const path = m?.[3] ?? '';
  const isHttp = protocol === 'HTTP' || protocol === 'HTTPS';
  if (!m || !between(port, 1, 65535) || (isHttp ? !path.startsWith('/') || path.length > 1024 : path !== ''))
    throw validationError(
      `Invalid HealthCheck Target '${target}': use TCP:port, SSL:port, HTTP:port/path or HTTPS:port/path with a port from 1 to 65535`,
    );
  const { Interval, Timeout, UnhealthyThreshold, HealthyThreshold } = hc;
  if (!between(Interval, 5, 300))
    throw validationError('HealthCheck Interval must be between 5 and 300 seconds');
  if (!between(Timeout, 2, 60)) throw validationError('HealthCheck Timeout must be between 2 and 60 seconds');
  if (Timeout >= Interval) throw validationError('HealthCheck Interval must be greater than the Timeout');
  if (!between(UnhealthyThreshold, 2, 10))
    throw validationError('HealthCheck UnhealthyThreshold must be between 2 and 10');
  if (!between(HealthyThreshold, 2, 10))
    throw validationError('HealthCheck HealthyThreshold must be between 2 and 10');
  return { Target: target, Interval, Timeout, UnhealthyThreshold, HealthyThreshold };
}

// AWS's descriptions: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_InstanceState.html
const inService = { State: 'InService', ReasonCode: 'N/A', Description: 'N/A' };
const outOfService = (ReasonCode: 'ELB' | 'Instance' | 'N/A', Description: string) => ({
  State: 'OutOfService',
  ReasonCode,
  Description,
});
const registering = outOfService('ELB', 'Instance registration is still in progress.');
const notYetHealthy = outOfService(
  'ELB',
  'Instance has not passed the configured HealthyThreshold number of health checks consecutively.',
);
const failed = outOfService(
  'Instance',
  'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
);
const disabledZone = outOfService(
  'ELB',
  'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
);
const notRegistered = outOfService('N/A', 'Instance is not currently registered with the LoadBalancer.');

/**
 * The health of a registered instance as of `now`, derived from the clock with no timers. Health
 * checks run from the latest of: registration, the current health check's configuration, and the
 * (re-)enabling of the instance's zone. A running instance passes HealthyThreshold checks, one per
 * Interval, before it is InService. An instance that leaves `running` fails checks from then on and
 * is OutOfService after UnhealthyThreshold × Interval; once EC2 says stopped or terminated, ELB says so.
 */
export function instanceHealth(
  lb: LoadBalancer,
  registeredAt: number,
  view: InstanceView | undefined,
  now: number,
) {
  if (!view || view.state === 'terminated')
    return outOfService('Instance', 'Instance is in terminated state.');
  if (view.state === 'pending') return outOfService('Instance', 'Instance is in pending state.');
  if (view.state === 'stopped') return outOfService('Instance', 'Instance is in stopped state.');
  const zoneEnabledAt = lb.zones.get(view.availabilityZone);
  if (zoneEnabledAt === undefined) return disabledZone;
  const { Interval, HealthyThreshold, UnhealthyThreshold } = lb.healthCheck;
  const checksFrom = Math.max(registeredAt, lb.healthCheckSince, zoneEnabledAt);
  const toHealthy = HealthyThreshold * Interval * 1000;
  if (view.state === 'running') {
    if (now >= Math.max(checksFrom, view.stateSince) + toHealthy) return inService;
    return now < registeredAt + Interval * 1000 ? registering : notYetHealthy;
  }
  // stopping or shutting-down: checks fail from the moment it left `running`.
  const wasInService = view.stateSince >= checksFrom + toHealthy;
  if (now < view.stateSince + UnhealthyThreshold * Interval * 1000)
    return wasInService ? inService : notYetHealthy;
  return failed;
}

const configureHealthCheck: Handler<
  ConfigureHealthCheckCommandInput,
  Out<ConfigureHealthCheckCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  lb.healthCheck = checkHealthCheck(input.HealthCheck);
  lb.healthCheckSince = ctx.clock.now();
  return { HealthCheck: { ...lb.healthCheck } };
};

function instanceIds(instances: { InstanceId?: string | undefined }[] | undefined): string[] {
  if (!instances || instances.length === 0)
    throw validationError('Instances must contain at least one instance');
  return [...new Set(instances.map((i) => i.InstanceId ?? ''))];
}

const registered = (lb: LoadBalancer) => [...lb.instances.keys()].map((InstanceId) => ({ InstanceId }));

/** Unknown and terminated instances fail the whole call; stopped and pending ones register and show OutOfService. */
const registerInstances: Handler<
  RegisterInstancesWithLoadBalancerCommandInput,
  Out<RegisterInstancesWithLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const now = ctx.clock.now();
  const ids = instanceIds(input.Instances);
  for (const id of ids) {
    const view = findInstanceView(ctx.region, id, now);
    if (!view || view.state === 'terminated' || view.state === 'shutting-down')
      throw invalidInstance(`The requested instance is not found or is not running: ${id}`);
    if (lb.vpcId && view.vpcId && view.vpcId !== lb.vpcId)
      throw invalidInstance(
        `EC2 instance ${id} is not in the same VPC as load balancer ${lb.name} (${lb.vpcId})`,
      );
  }
  const fresh = ids.filter((id) => !lb.instances.has(id));
  const max = accountLimits['classic-registered-instances'];
  if (lb.instances.size + fresh.length > max)
    throw invalidConfigurationRequest(`Exceeded quota of account: classic-registered-instances (${max})`);
  for (const id of fresh) lb.instances.set(id, now);
  return { Instances: registered(lb) };
};

const deregisterInstances: Handler<
  DeregisterInstancesFromLoadBalancerCommandInput,
  Out<DeregisterInstancesFromLoadBalancerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const ids = instanceIds(input.Instances);
  const unknown = ids.filter((id) => !lb.instances.has(id));
  if (unknown.length)
    throw invalidInstance(
      `The following instances are not registered with load balancer ${lb.name}: ${unknown.join(', ')}`,
    );
  for (const id of ids) lb.instances.delete(id);
  return { Instances: registered(lb) };
};

function healthOf(ctx: RequestContext, lb: LoadBalancer, id: string, now: number): InstanceState {
  const view = findInstanceView(ctx.region, id, now);
  const registeredAt = lb.instances.get(id);
  if (registeredAt === undefined) {
    if (!view) throw invalidInstance(`Could not find EC2 instance ${id}.`);
    return { InstanceId: id, ...notRegistered };
  }
  return { InstanceId: id, ...instanceHealth(lb, registeredAt, view, now) };
}

/** Named instances are described even when not registered, as AWS does; unknown ones are InvalidInstance. */
const describeInstanceHealth: Handler<
  DescribeInstanceHealthCommandInput,
  Out<DescribeInstanceHealthCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const now = ctx.clock.now();
  const ids = input.Instances?.length ? instanceIds(input.Instances) : [...lb.instances.keys()];
  return { InstanceStates: ids.map((id) => healthOf(ctx, lb, id, now)) };
};

export const healthHandlers: HandlerMap = {
  ConfigureHealthCheck: configureHealthCheck,
  RegisterInstancesWithLoadBalancer: registerInstances,
  DeregisterInstancesFromLoadBalancer: deregisterInstances,
  DescribeInstanceHealth: describeInstanceHealth,
};
