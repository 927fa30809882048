import type {
  DescribeInstancesCommandOutput,
  InstanceState,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
  StartInstancesCommandOutput,
  StopInstancesCommandOutput,
  Tag,
} from '@aws-sdk/client-ec2';
import type {
  CreateLoadBalancerCommandInput,
  DescribeLoadBalancersCommandOutput,
  InstanceState as ElbInstanceState,
  HealthCheck,
} from '@aws-sdk/client-elastic-load-balancing';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type BatchResult,
  type GatewayClient,
  type Instance,
  isAwsError,
  type LoadBalancer,
  type PlanResult,
  type Reservation,
  resources,
} from '../src/index';

declare const client: GatewayClient;
const { ec2, elb } = resources(client);
declare const instance: Instance;
declare const lb: LoadBalancer;

describe('raw procedures', () => {
  it('take and return exactly the SDK types', () => {
    expectTypeOf(client.ec2.runInstances.mutate).parameter(0).toEqualTypeOf<RunInstancesCommandInput>();
    expectTypeOf(client.ec2.runInstances.mutate).returns.resolves.toEqualTypeOf<RunInstancesCommandOutput>();
    expectTypeOf(
      client.ec2.describeInstances.query,
    ).returns.resolves.toEqualTypeOf<DescribeInstancesCommandOutput>();
    expectTypeOf(
      client.elb.describeLoadBalancers.query,
    ).returns.resolves.toEqualTypeOf<DescribeLoadBalancersCommandOutput>();
  });

  it('reject misuse', () => {
    // @ts-expect-error a query is not a mutation
    client.ec2.describeInstances.mutate({});
    // @ts-expect-error misspelled member
    client.ec2.describeInstances.query({ instanceIds: ['i-1'] });
  });
});

describe('resources', () => {
  it('expose the SDK types as attributes', () => {
    expectTypeOf(instance.launchTime).toEqualTypeOf<Date | undefined>();
    expectTypeOf(instance.state).toEqualTypeOf<InstanceState | undefined>();
    expectTypeOf(instance.tags).toEqualTypeOf<Tag[] | undefined>();
    expectTypeOf(instance.publicIpAddress).toEqualTypeOf<string | undefined>();
    expectTypeOf(lb.healthCheck).toEqualTypeOf<HealthCheck | undefined>();
    expectTypeOf(lb.dnsName).toEqualTypeOf<string | undefined>();
  });

  it('return the SDK outputs from their actions', () => {
    expectTypeOf(instance.start()).resolves.toEqualTypeOf<StartInstancesCommandOutput>();
    expectTypeOf(ec2.createInstances).parameter(0).toEqualTypeOf<RunInstancesCommandInput>();
    expectTypeOf(ec2.createInstances).returns.resolves.toEqualTypeOf<Instance[]>();
    expectTypeOf(ec2.runInstances).returns.resolves.toEqualTypeOf<Reservation>();
    expectTypeOf(elb.createLoadBalancer).parameter(0).toEqualTypeOf<CreateLoadBalancerCommandInput>();
    expectTypeOf(lb.instanceHealth()).resolves.toEqualTypeOf<ElbInstanceState[]>();
  });

  it('batch actions return a plan for a dry run and the outputs otherwise', () => {
    const fleet = ec2.instances.filter({ Filters: [{ Name: 'tag:Name', Values: ['web'] }] }).limit(10);
    expectTypeOf(fleet.stop({ dryRun: true })).resolves.toEqualTypeOf<PlanResult>();
    expectTypeOf(fleet.stop()).resolves.toEqualTypeOf<BatchResult<StopInstancesCommandOutput>>();
    expectTypeOf(fleet).toMatchTypeOf<AsyncIterable<Instance>>();
  });

  it('reject misuse', () => {
    // @ts-expect-error attributes are read-only
    instance.launchTime = new Date();
    // @ts-expect-error no such attribute
    instance.launchDate;
    // @ts-expect-error MinCount and MaxCount are required
    ec2.createInstances({ ImageId: 'ami-1' });
    lb.configureHealthCheck({
      Target: 'HTTP:80/',
      // @ts-expect-error Interval is a number
      Interval: '10',
      Timeout: 5,
      UnhealthyThreshold: 2,
      HealthyThreshold: 3,
    });
    // @ts-expect-error the collection names ids the SDK's way
    ec2.instances.filter({ instanceIds: ['i-1'] });
  });
});

describe('isAwsError', () => {
  it('narrows the code', () => {
    const err: unknown = new Error('x');
    if (isAwsError(err, 'InvalidInstanceID.NotFound')) {
      expectTypeOf(err.data.aws.code).toEqualTypeOf<'InvalidInstanceID.NotFound'>();
      expectTypeOf(err.data.aws.requestId).toEqualTypeOf<string | undefined>();
    }
    if (isAwsError(err, ['LoadBalancerNotFound', 'InvalidInstance'])) {
      expectTypeOf(err.data.aws.code).toEqualTypeOf<'LoadBalancerNotFound' | 'InvalidInstance'>();
    }
    // An unknown code still type-checks: AWS adds codes.
    isAwsError(err, 'SomeFutureError');
    // @ts-expect-error codes are strings
    isAwsError(err, 42);
  });
});
