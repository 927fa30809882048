import type {
  DescribeInstancesCommandOutput,
  DescribeRegionsCommandOutput,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type {
  CreateLoadBalancerCommandInput,
  DescribeLoadBalancersCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import { AwsError } from '../../src/core/errors';
import type { Handler, HandlerMap, Out, Region, ServiceName } from '../../src/core/types';

/**
 * Small handler maps of our own, so the protocol layer and the server are tested on their own,
 * independent of the EC2 and ELB behaviour. Instances live in the region's state.
 */
const instancesOf = (region: Region) =>
  region.slot('test.instances', () => [] as { InstanceId: string; LaunchTime: Date }[]);

const runInstances: Handler<RunInstancesCommandInput, Out<RunInstancesCommandOutput>> = (input, ctx) => {
  const list = instancesOf(ctx.region);
  const created = Array.from({ length: input.MinCount ?? 1 }, () => ({
    InstanceId: `i-${(list.length + 1).toString(16).padStart(17, '0')}`,
    LaunchTime: new Date(ctx.clock.now()),
  }));
  list.push(...created);
  return { ReservationId: 'r-0123456789abcdef0', OwnerId: ctx.region.accountId, Instances: created };
};

const describeInstances: Handler<unknown, Out<DescribeInstancesCommandOutput>> = (_input, ctx) => ({
  Reservations: [{ ReservationId: 'r-0123456789abcdef0', Instances: instancesOf(ctx.region) }],
});

const describeRegions: Handler<unknown, Out<DescribeRegionsCommandOutput>> = (_input, ctx) => ({
  Regions: [{ RegionName: ctx.region.name, Endpoint: `ec2.${ctx.region.name}.amazonaws.com` }],
});

const createLoadBalancer: Handler<CreateLoadBalancerCommandInput> = (input) => {
  if (input.LoadBalancerName === 'taken') {
    throw new AwsError('DuplicateLoadBalancerName', 'The specified load balancer name already exists.');
  }
  return { DNSName: `${input.LoadBalancerName}-1.us-east-1.elb.amazonaws.com` };
};

const describeLoadBalancers: Handler<unknown, Out<DescribeLoadBalancersCommandOutput>> = () => ({
  LoadBalancerDescriptions: [{ LoadBalancerName: 'web', ListenerDescriptions: [] }],
});

export function testHandlers(): Record<ServiceName, HandlerMap> {
  return {
    ec2: {
      RunInstances: runInstances,
      DescribeInstances: describeInstances,
      DescribeRegions: describeRegions,
      TerminateInstances: () => {
        throw new AwsError(
          'InvalidInstanceID.NotFound',
          "The instance ID 'i-0000000000000dead' does not exist",
        );
      },
      RebootInstances: () => {
        throw new TypeError('a bug in a handler');
      },
    },
    elb: { CreateLoadBalancer: createLoadBalancer, DescribeLoadBalancers: describeLoadBalancers },
    sqs: {},
    events: {},
  };
}
