import {
  DescribeInstanceCreditSpecificationsCommand,
  GetDefaultCreditSpecificationCommand,
  ModifyDefaultCreditSpecificationCommand,
  ModifyInstanceCreditSpecificationCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const run = async (InstanceType: 't2.micro' | 't3.micro' | 'm5.large', extra = {}) =>
  (
    await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1, InstanceType, ...extra }),
    )
  ).Instances![0]!.InstanceId!;

const credits = async (id: string) =>
  (await t.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [id] })))
    .InstanceCreditSpecifications![0]!.CpuCredits;

describe('CPU credit specifications', () => {
  it('T2 launches standard and T3 unlimited; the launch can choose; non-burstable types have none', async () => {
    const t2 = await run('t2.micro');
    const t3 = await run('t3.micro');
    const chosen = await run('t3.micro', { CreditSpecification: { CpuCredits: 'standard' } });
    const m5 = await run('m5.large');
    expect(await credits(t2)).toBe('standard');
    expect(await credits(t3)).toBe('unlimited');
    expect(await credits(chosen)).toBe('standard');
    const listed = (await t.ec2.send(new DescribeInstanceCreditSpecificationsCommand({})))
      .InstanceCreditSpecifications!;
    expect(listed.map((c) => c.InstanceId)).toEqual([t2, t3, chosen]);
    const notT = await awsError(
      t.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [m5] })),
    );
    expect(notT.code).toBe('InvalidParameterValue');
    const launch = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 'm5.large',
          CreditSpecification: { CpuCredits: 'unlimited' },
        }),
      ),
    );
    expect(launch.code).toBe('InvalidParameterCombination');
    const filtered = await t.ec2.send(
      new DescribeInstanceCreditSpecificationsCommand({ Filters: [{ Name: 'instance-id', Values: [t3] }] }),
    );
    expect(filtered.InstanceCreditSpecifications).toEqual([{ InstanceId: t3, CpuCredits: 'unlimited' }]);

    const out = await t.ec2.send(
      new ModifyInstanceCreditSpecificationCommand({
        InstanceCreditSpecifications: [
          { InstanceId: t2, CpuCredits: 'unlimited' },
          { InstanceId: m5, CpuCredits: 'unlimited' },
          { InstanceId: 'i-0123456789abcdef0', CpuCredits: 'unlimited' },
        ],
      }),
    );
    expect(out.SuccessfulInstanceCreditSpecifications).toEqual([{ InstanceId: t2 }]);
    expect(out.UnsuccessfulInstanceCreditSpecifications!.map((u) => [u.InstanceId, u.Error!.Code])).toEqual([
      [m5, 'InstanceCreditSpecification.NotSupported'],
      ['i-0123456789abcdef0', 'InvalidInstanceID.NotFound'],
    ]);
    expect(await credits(t2)).toBe('unlimited');
    const mode = await awsError(
      t.ec2.send(
        new ModifyInstanceCreditSpecificationCommand({
          InstanceCreditSpecifications: [{ InstanceId: t2, CpuCredits: 'turbo' }],
        }),
      ),
    );
    expect(mode.code).toBe('InvalidParameterValue');
    expect(await credits(t2)).toBe('unlimited');
  });

  it('the account default per family applies to later launches', async () => {
    const get = async () =>
      (await t.ec2.send(new GetDefaultCreditSpecificationCommand({ InstanceFamily: 't3' })))
        .InstanceFamilyCreditSpecification;
    expect(await get()).toEqual({ InstanceFamily: 't3', CpuCredits: 'unlimited' });
    const before = await run('t3.micro');
    await t.ec2.send(
      new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: 't3', CpuCredits: 'standard' }),
    );
    expect(await get()).toEqual({ InstanceFamily: 't3', CpuCredits: 'standard' });
    expect(await credits(await run('t3.micro'))).toBe('standard');
    expect(await credits(before)).toBe('unlimited');
    const family = await awsError(
      t.ec2.send(new GetDefaultCreditSpecificationCommand({ InstanceFamily: 'm5' as 't3' })),
    );
    expect(family.code).toBe('InvalidParameterValue');
  });
});
