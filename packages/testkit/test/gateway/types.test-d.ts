import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  ImportKeyPairCommandInput,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type {
  CreateLoadBalancerCommandInput,
  CreateLoadBalancerCommandOutput,
  DescribeLoadBalancersCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { AppRouter } from '@aws-trpc/api';
import { createClient } from '@aws-trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { describe, expectTypeOf, it } from 'vitest';

type In = inferRouterInputs<AppRouter>;
type Out = inferRouterOutputs<AppRouter>;
const client = createClient({ url: 'http://127.0.0.1:1/trpc' });

describe('AppRouter types are the SDK types', () => {
  it('inputs equal XCommandInput', () => {
    expectTypeOf<In['ec2']['runInstances']>().toEqualTypeOf<RunInstancesCommandInput>();
    expectTypeOf<In['ec2']['describeInstances']>().toEqualTypeOf<DescribeInstancesCommandInput>();
    expectTypeOf<In['ec2']['importKeyPair']>().toEqualTypeOf<ImportKeyPairCommandInput>();
    expectTypeOf<In['elb']['createLoadBalancer']>().toEqualTypeOf<CreateLoadBalancerCommandInput>();
  });

  it('outputs equal XCommandOutput, Dates and all', () => {
    expectTypeOf<Out['ec2']['runInstances']>().toEqualTypeOf<RunInstancesCommandOutput>();
    expectTypeOf<Out['ec2']['describeInstances']>().toEqualTypeOf<DescribeInstancesCommandOutput>();
    expectTypeOf<Out['elb']['createLoadBalancer']>().toEqualTypeOf<CreateLoadBalancerCommandOutput>();
    type Instance = NonNullable<
      NonNullable<Out['ec2']['describeInstances']['Reservations']>[number]['Instances']
    >[number];
    expectTypeOf<Instance['LaunchTime']>().toEqualTypeOf<Date | undefined>();
    type Lb = NonNullable<DescribeLoadBalancersCommandOutput['LoadBalancerDescriptions']>[number];
    type GatewayLb = NonNullable<Out['elb']['describeLoadBalancers']['LoadBalancerDescriptions']>[number];
    expectTypeOf<GatewayLb['CreatedTime']>().toEqualTypeOf<Lb['CreatedTime']>();
    expectTypeOf<ImportKeyPairCommandInput['PublicKeyMaterial']>().toEqualTypeOf<Uint8Array | undefined>();
  });

  it('types the client calls: queries for reads, mutations for the rest', () => {
    expectTypeOf(client.ec2.describeInstances.query)
      .parameter(0)
      .toEqualTypeOf<DescribeInstancesCommandInput>();
    expectTypeOf(
      client.ec2.describeInstances.query,
    ).returns.resolves.toEqualTypeOf<DescribeInstancesCommandOutput>();
    expectTypeOf(client.ec2.runInstances.mutate).returns.resolves.toEqualTypeOf<RunInstancesCommandOutput>();
    expectTypeOf(
      client.elb.describeLoadBalancers.query,
    ).returns.resolves.toEqualTypeOf<DescribeLoadBalancersCommandOutput>();
  });

  it('rejects misuse at compile time', () => {
    const never = () => {
      // @ts-expect-error a misspelled member (the raw SDK would silently drop it at run time)
      void client.ec2.describeInstances.query({ instanceIds: ['i-1'] });
      // @ts-expect-error MinCount and MaxCount are required
      void client.ec2.runInstances.mutate({ ImageId: 'ami-1' });
      // @ts-expect-error a wrong member type
      void client.ec2.runInstances.mutate({ ImageId: 'ami-1', MinCount: '1', MaxCount: 1 });
      // @ts-expect-error runInstances is a mutation, not a query
      void client.ec2.runInstances.query({ ImageId: 'ami-1', MinCount: 1, MaxCount: 1 });
      // @ts-expect-error describeInstances is a query
      void client.ec2.describeInstances.mutate({});
      // @ts-expect-error no such operation
      void client.ec2.describeInstancez.query({});
      // @ts-expect-error ELB (Classic) has no ELBv2 operations
      void client.elb.describeTargetGroups.query({});
    };
    expectTypeOf(never).toBeFunction();
  });
});
