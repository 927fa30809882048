import {
  type HealthCheck,
  type LoadBalancerDescription,
  LoadBalancerDescription$,
  type Tag,
  type TagKeyOnly,
} from '@aws-sdk/client-elastic-load-balancing';
import type { ElbOutput } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';
import { runWaiter, type WaiterSuccess, type WaitOptions } from './waiter';

type InstanceRef = string | { id: string };
const instanceList = (instances: readonly InstanceRef[]) =>
  instances.map((i) => ({ InstanceId: typeof i === 'string' ? i : i.id }));

type LoadBalancerMethods =
  | 'load'
  | 'refresh'
  | 'delete'
  | 'configureHealthCheck'
  | 'registerInstances'
  | 'deregisterInstances'
  | 'addTags';

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface LoadBalancer extends Attributes<LoadBalancerDescription, LoadBalancerMethods> {}

/** A Classic load balancer, named by LoadBalancerName: `elb.LoadBalancer(name)`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class LoadBalancer extends Resource<LoadBalancerDescription> {
  constructor(aws: AwsTransport, name: string, data?: LoadBalancerDescription) {
    super(aws, name, data);
  }

  get name(): string {
    return this.id;
  }

  /** `DNSName`, in the spelling people expect (the generated attribute is `dNSName`). */
  get dnsName(): string | undefined {
    return this.data.DNSName;
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.elb('describeLoadBalancers', { LoadBalancerNames: [this.id] }, opts);
    return this.setData(firstOrThrow(output.LoadBalancerDescriptions, 'LoadBalancer', this.id));
  }

  /** e.g. `{ Target: 'HTTP:80/health', Interval: 10, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 3 }`. */
  configureHealthCheck(healthCheck: HealthCheck): Promise<ElbOutput<'configureHealthCheck'>> {
    return this.aws.elb('configureHealthCheck', { LoadBalancerName: this.id, HealthCheck: healthCheck });
  }

  /** Instance ids or Instance objects. */
  registerInstances(
    instances: readonly InstanceRef[],
  ): Promise<ElbOutput<'registerInstancesWithLoadBalancer'>> {
    return this.aws.elb('registerInstancesWithLoadBalancer', {
      LoadBalancerName: this.id,
      Instances: instanceList(instances),
    });
  }

  deregisterInstances(
    instances: readonly InstanceRef[],
  ): Promise<ElbOutput<'deregisterInstancesFromLoadBalancer'>> {
    return this.aws.elb('deregisterInstancesFromLoadBalancer', {
      LoadBalancerName: this.id,
      Instances: instanceList(instances),
    });
  }

  enableAvailabilityZones(zones: string[]): Promise<ElbOutput<'enableAvailabilityZonesForLoadBalancer'>> {
    return this.aws.elb('enableAvailabilityZonesForLoadBalancer', {
      LoadBalancerName: this.id,
      AvailabilityZones: zones,
    });
  }

  disableAvailabilityZones(zones: string[]): Promise<ElbOutput<'disableAvailabilityZonesForLoadBalancer'>> {
    return this.aws.elb('disableAvailabilityZonesForLoadBalancer', {
      LoadBalancerName: this.id,
      AvailabilityZones: zones,
    });
  }

  /** InService / OutOfService per registered instance (or only the given ones). */
  async instanceHealth(
    instances?: readonly InstanceRef[],
  ): Promise<NonNullable<ElbOutput<'describeInstanceHealth'>['InstanceStates']>> {
    const output = await this.aws.elb('describeInstanceHealth', {
      LoadBalancerName: this.id,
      ...(instances ? { Instances: instanceList(instances) } : {}),
    });
    return output.InstanceStates ?? [];
  }

  /** Waits until the given instances (default: all registered) are InService, then refreshes. */
  async waitUntilInService(
    opts: WaitOptions & { instances?: readonly InstanceRef[] } = {},
  ): Promise<WaiterSuccess<ElbOutput<'describeInstanceHealth'>>> {
    const { instances, ...waitOptions } = opts;
    const input = { LoadBalancerName: this.id, ...(instances ? { Instances: instanceList(instances) } : {}) };
    const result = await runWaiter<ElbOutput<'describeInstanceHealth'>>(
      this.aws,
      'elb',
      'waitUntilInstanceInService',
      input,
      waitOptions,
    );
    await this.load();
    return result;
  }

  addTags(tags: Tag[]): Promise<ElbOutput<'addTags'>> {
    return this.aws.elb('addTags', { LoadBalancerNames: [this.id], Tags: tags });
  }

  removeTags(keys: TagKeyOnly[]): Promise<ElbOutput<'removeTags'>> {
    return this.aws.elb('removeTags', { LoadBalancerNames: [this.id], Tags: keys });
  }

  async tags(): Promise<Tag[]> {
    const output = await this.aws.elb('describeTags', { LoadBalancerNames: [this.id] });
    return output.TagDescriptions?.[0]?.Tags ?? [];
  }

  delete(): Promise<ElbOutput<'deleteLoadBalancer'>> {
    return this.aws.elb('deleteLoadBalancer', { LoadBalancerName: this.id });
  }
}

defineAttributes(LoadBalancer, LoadBalancerDescription$);
