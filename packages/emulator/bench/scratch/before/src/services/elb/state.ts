import type {
  HealthCheck,
  Listener,
  LoadBalancerAttributes,
  PolicyAttributeDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Region, RequestContext } from '../../core/types';
import { loadBalancerNotFound } from './errors';

/** The SDK types required members as `T | undefined`; stored state has them all. */
export type Defined<T> = { [K in keyof T]-?: NonNullable<T[K]> };

/** A listener as stored: every member AWS fills in is present. */
export interface ListenerState {
  listener: Defined<Pick<Listener, 'Protocol' | 'LoadBalancerPort' | 'InstanceProtocol' | 'InstancePort'>> &
    Pick<Listener, 'SSLCertificateId'>;
  policyNames: string[];
}

export interface PolicyState {
  name: string;
  typeName: string;
  attributes: PolicyAttributeDescription[];
}

/** One Classic load balancer: plain data, no XML. Each resource family reads and writes its own part. */
export interface LoadBalancer {
  name: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal';
  createdAt: number;
  /** by LoadBalancerPort, in creation order */
  listeners: Map<number, ListenerState>;
  /** enabled zone → when it was enabled (health checks restart in a re-enabled zone) */
  zones: Map<string, number>;
  subnets: string[];
  vpcId?: string;
  securityGroups: string[];
  healthCheck: Defined<HealthCheck>;
  /** when the health check was last configured: instances must pass it again from then on */
  healthCheckSince: number;
  /** registered instance id → registration time */
  instances: Map<string, number>;
  policies: Map<string, PolicyState>;
  /** InstancePort → policy names */
  backendPolicies: Map<number, string[]>;
  attributes: Defined<Omit<LoadBalancerAttributes, 'AdditionalAttributes'>> & {
    AdditionalAttributes: Map<string, string>;
  };
  tags: Map<string, string>;
}

export interface ElbState {
  /** by name, in creation order (DescribeLoadBalancers pages in this order) */
  loadBalancers: Map<string, LoadBalancer>;
}

export function elbState(region: Region): ElbState {
  return region.slot<ElbState>('elb', () => ({ loadBalancers: new Map() }));
}

/** The load balancer named in a request, or AWS's LoadBalancerNotFound. */
export function findLoadBalancer(ctx: RequestContext, name: string | undefined): LoadBalancer {
  const lb = name === undefined ? undefined : elbState(ctx.region).loadBalancers.get(name);
  if (!lb) throw loadBalancerNotFound(name ?? '');
  return lb;
}
