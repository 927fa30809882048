import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  ImportKeyPairCommandInput,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type {
  DescribeLoadBalancersCommandInput,
  DescribeLoadBalancersCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AwsErrorCode,
  type AwsErrorData,
  type Ec2Ops,
  type ElbOps,
  type InputValidator,
  inputValidator,
  type ProcedureName,
} from '../src/index';

describe('operation types', () => {
  it('are the SDK command types, keyed by procedure', () => {
    expectTypeOf<Ec2Ops['runInstances']['input']>().toEqualTypeOf<RunInstancesCommandInput>();
    expectTypeOf<Ec2Ops['runInstances']['output']>().toEqualTypeOf<RunInstancesCommandOutput>();
    expectTypeOf<Ec2Ops['runInstances']['kind']>().toEqualTypeOf<'mutation'>();
    expectTypeOf<Ec2Ops['describeInstances']['input']>().toEqualTypeOf<DescribeInstancesCommandInput>();
    expectTypeOf<Ec2Ops['describeInstances']['output']>().toEqualTypeOf<DescribeInstancesCommandOutput>();
    expectTypeOf<Ec2Ops['describeInstances']['kind']>().toEqualTypeOf<'query'>();
    expectTypeOf<
      ElbOps['describeLoadBalancers']['input']
    >().toEqualTypeOf<DescribeLoadBalancersCommandInput>();
    expectTypeOf<
      ElbOps['describeLoadBalancers']['output']
    >().toEqualTypeOf<DescribeLoadBalancersCommandOutput>();
  });

  it('keep Date and Uint8Array members', () => {
    type Instance = NonNullable<
      NonNullable<
        NonNullable<Ec2Ops['describeInstances']['output']['Reservations']>[number]['Instances']
      >[number]
    >;
    expectTypeOf<Instance['LaunchTime']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<Ec2Ops['importKeyPair']['input']['PublicKeyMaterial']>().toEqualTypeOf<
      ImportKeyPairCommandInput['PublicKeyMaterial']
    >();
    expectTypeOf<Ec2Ops['importKeyPair']['input']['PublicKeyMaterial']>().toEqualTypeOf<
      Uint8Array | undefined
    >();
  });

  it('has exactly the catalog procedures as keys', () => {
    expectTypeOf<keyof Ec2Ops>().toEqualTypeOf<ProcedureName<'ec2'>>();
    expectTypeOf<keyof ElbOps>().toEqualTypeOf<ProcedureName<'elb'>>();
    // @ts-expect-error ELB operations are not EC2 procedures
    type _Wrong = Ec2Ops['describeLoadBalancers'];
    // @ts-expect-error procedures are camelCase
    type _Case = Ec2Ops['RunInstances'];
  });

  it('types validators by procedure', () => {
    expectTypeOf(inputValidator('ec2', 'runInstances')).toEqualTypeOf<
      InputValidator<RunInstancesCommandInput>
    >();
    expectTypeOf(inputValidator('ec2', 'runInstances').parse({})).toEqualTypeOf<RunInstancesCommandInput>();
    expectTypeOf(inputValidator('ec2', 'RunInstances')).toEqualTypeOf<InputValidator<unknown>>();
  });

  it('types error codes and data', () => {
    expectTypeOf<'InvalidInstanceID.NotFound'>().toExtend<AwsErrorCode<'ec2'>>();
    expectTypeOf<'LoadBalancerNotFound'>().toExtend<AwsErrorCode<'elb'>>();
    expectTypeOf<AwsErrorData['retryable']>().toEqualTypeOf<boolean>();
    expectTypeOf<AwsErrorData['classification']>().toEqualTypeOf<
      'retryable' | 'eventual-consistency' | 'permanent' | 'throttling'
    >();
  });
});
