import { Collection } from '../collections';
import type { ElbInput } from '../service-types';
import type { AwsTransport } from '../transport';
import { LoadBalancer } from './load-balancer';

/**
 * Classic ELB's DescribeLoadBalancers pages with Marker/NextMarker and PageSize (1–400).
 * https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DescribeLoadBalancers.html
 */
const MAX_PAGE_SIZE = 400;

export class LoadBalancerCollection extends Collection<LoadBalancer> {
  constructor(aws: AwsTransport) {
    super(async ({ filter, pageSize, nextToken, signal }) => {
      const output = await aws.elb(
        'describeLoadBalancers',
        {
          ...(filter.ids ? { LoadBalancerNames: filter.ids } : {}),
          ...(pageSize === undefined ? {} : { PageSize: Math.max(1, Math.min(MAX_PAGE_SIZE, pageSize)) }),
          Marker: nextToken,
        },
        { signal },
      );
      const items = (output.LoadBalancerDescriptions ?? []).map(
        (d) => new LoadBalancer(aws, d.LoadBalancerName ?? '', d),
      );
      return { items, nextToken: output.NextMarker };
    });
  }

  filter(filter: { LoadBalancerNames?: string[] }): this {
    return this.narrow(filter.LoadBalancerNames ? { ids: filter.LoadBalancerNames } : {});
  }
}

/** Classic ELB resources: `elb.LoadBalancer(name)`, `elb.loadBalancers`, `elb.createLoadBalancer(...)`. */
export interface ElbResources {
  LoadBalancer(name: string): LoadBalancer;
  readonly loadBalancers: LoadBalancerCollection;
  /** Creates the load balancer and returns it loaded. */
  createLoadBalancer(input: ElbInput<'createLoadBalancer'>): Promise<LoadBalancer>;
}

export function elbResources(aws: AwsTransport): ElbResources {
  return {
    LoadBalancer: (name) => new LoadBalancer(aws, name),
    get loadBalancers() {
      return new LoadBalancerCollection(aws);
    },
    async createLoadBalancer(input) {
      await aws.elb('createLoadBalancer', input);
      return new LoadBalancer(aws, input.LoadBalancerName ?? '').load();
    },
  };
}
