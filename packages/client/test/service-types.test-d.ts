import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type {
  DescribeLoadBalancersCommandOutput,
  RegisterInstancesWithLoadBalancerCommandInput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { AppRouter } from '@aws-trpc/api';
import type { InstanceStateEvent } from '@aws-trpc/shared';
import type { TRPCClient } from '@trpc/client';
import { describe, expectTypeOf, it } from 'vitest';
import type { GatewayServices } from '../src/service-types';

declare const client: GatewayServices;
declare const trpc: TRPCClient<AppRouter>;

describe('GatewayServices (the lazily mapped client surface)', () => {
  it('takes and returns exactly the SDK types', () => {
    expectTypeOf(client.ec2.runInstances.mutate).parameter(0).toEqualTypeOf<RunInstancesCommandInput>();
    expectTypeOf(client.ec2.runInstances.mutate).returns.resolves.toEqualTypeOf<RunInstancesCommandOutput>();
    expectTypeOf(client.ec2.describeInstances.query)
      .parameter(0)
      .toEqualTypeOf<DescribeInstancesCommandInput>();
    expectTypeOf(
      client.ec2.describeInstances.query,
    ).returns.resolves.toEqualTypeOf<DescribeInstancesCommandOutput>();
    expectTypeOf(client.elb.registerInstancesWithLoadBalancer.mutate)
      .parameter(0)
      .toEqualTypeOf<RegisterInstancesWithLoadBalancerCommandInput>();
    expectTypeOf(
      client.elb.describeLoadBalancers.query,
    ).returns.resolves.toEqualTypeOf<DescribeLoadBalancersCommandOutput>();
  });

  it('is what tRPC makes of the router, procedure by procedure', () => {
    expectTypeOf(client.ec2.describeInstances).toEqualTypeOf(trpc.ec2.describeInstances);
    expectTypeOf(client.ec2.runInstances).toEqualTypeOf(trpc.ec2.runInstances);
    expectTypeOf(client.ec2.onInstanceStateChange).toEqualTypeOf(trpc.ec2.onInstanceStateChange);
    expectTypeOf(client.ec2.waitUntilInstanceRunning).toEqualTypeOf(trpc.ec2.waitUntilInstanceRunning);
    expectTypeOf(client.elb.waitUntilInstanceInService).toEqualTypeOf(trpc.elb.waitUntilInstanceInService);
  });

  it('keeps the subscriptions', () => {
    client.ec2.onInstanceStateChange.subscribe(
      { instanceIds: ['i-1'] },
      {
        onData: (event) => {
          expectTypeOf(event).toMatchTypeOf<InstanceStateEvent | { id: string; data: InstanceStateEvent }>();
        },
      },
    );
  });

  it('rejects misuse', () => {
    // @ts-expect-error a query is not a mutation
    client.ec2.describeInstances.mutate({});
    // @ts-expect-error a mutation is not a query
    client.ec2.runInstances.query({ MinCount: 1, MaxCount: 1 });
    // @ts-expect-error misspelled member
    client.ec2.describeInstances.query({ instanceIds: ['i-1'] });
    // @ts-expect-error required members
    client.ec2.runInstances.mutate({ ImageId: 'ami-1' });
    // @ts-expect-error not an EC2 procedure
    client.ec2.describeLoadBalancers;
  });
});
