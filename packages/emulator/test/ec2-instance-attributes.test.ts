import {
  DescribeInstanceAttributeCommand,
  DescribeInstanceStatusCommand,
  DescribeNetworkInterfacesCommand,
  GetConsoleOutputCommand,
  ModifyInstanceAttributeCommand,
  ResetInstanceAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000, stopping: 1_000 });

async function launch(extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}) {
  const r = await t.ec2.send(
    new RunInstancesCommand({
      ImageId: AL2023,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      ...extra,
    }),
  );
  return r.Instances![0]!.InstanceId!;
}

const attr = (InstanceId: string, Attribute: string) =>
  t.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId, Attribute: Attribute as never }));

describe('Describe/ModifyInstanceAttribute', () => {
  it('reads the common attributes as set at launch', async () => {
    const userData = Buffer.from('#!/bin/bash\necho hi').toString('base64');
    const id = await launch({ UserData: userData, InstanceInitiatedShutdownBehavior: 'terminate' });
    expect((await attr(id, 'instanceType')).InstanceType?.Value).toBe('t3.micro');
    expect((await attr(id, 'userData')).UserData?.Value).toBe(userData);
    expect((await attr(id, 'disableApiTermination')).DisableApiTermination?.Value).toBe(false);
    expect(
      (await attr(id, 'instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior?.Value,
    ).toBe('terminate');
    expect((await attr(id, 'sourceDestCheck')).SourceDestCheck?.Value).toBe(true);
    expect((await attr(id, 'ebsOptimized')).EbsOptimized?.Value).toBe(false);
    expect((await attr(id, 'groupSet')).Groups?.[0]?.GroupName).toBe('default');
    expect((await attr(id, 'rootDeviceName')).RootDeviceName?.Value).toBe('/dev/xvda');
    expect((await awsError(attr(id, 'colour'))).code).toBe('InvalidParameterValue');
  });

  it('changes the instance type only while stopped', async () => {
    const id = await launch();
    t.emu.clock.advance(1_000);
    const running = await awsError(
      t.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } })),
    );
    expect(running).toMatchObject({
      code: 'IncorrectInstanceState',
      message: `The instance '${id}' is not in the 'stopped' state.`,
    });
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    t.emu.clock.advance(1_000);
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } }),
    );
    expect((await attr(id, 'instanceType')).InstanceType?.Value).toBe('t3.large');
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: id,
        UserData: { Value: new TextEncoder().encode('hello') },
      }),
    );
    expect(Buffer.from((await attr(id, 'userData')).UserData!.Value!, 'base64').toString()).toBe('hello');
    const bad = await awsError(
      t.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'z9.mega' } })),
    );
    expect(bad.code).toBe('InvalidInstanceAttributeValue');
  });

  it('modifies flags in both the structured and the legacy Attribute/Value form', async () => {
    const id = await launch();
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }),
    );
    expect((await attr(id, 'sourceDestCheck')).SourceDestCheck?.Value).toBe(false);
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: id,
        Attribute: 'disableApiTermination',
        Value: 'true',
      }),
    );
    expect((await attr(id, 'disableApiTermination')).DisableApiTermination?.Value).toBe(true);
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: id,
        InstanceInitiatedShutdownBehavior: { Value: 'terminate' },
      }),
    );
    expect(
      (await attr(id, 'instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior?.Value,
    ).toBe('terminate');
    const dry = await awsError(
      t.ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: id,
          SourceDestCheck: { Value: true },
          DryRun: true,
        }),
      ),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect((await attr(id, 'sourceDestCheck')).SourceDestCheck?.Value).toBe(false);
  });
});

describe('ResetInstanceAttribute', () => {
  it('puts sourceDestCheck back (on the primary interface too); kernel and ramdisk need a stopped instance', async () => {
    const id = await launch();
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }),
    );
    expect((await attr(id, 'sourceDestCheck')).SourceDestCheck).toEqual({ Value: false });
    await t.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'sourceDestCheck' }));
    expect((await attr(id, 'sourceDestCheck')).SourceDestCheck).toEqual({ Value: true });
    const eni = (
      await t.ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }),
      )
    ).NetworkInterfaces![0]!;
    expect(eni.SourceDestCheck).toBe(true);
    t.emu.clock.advance(1_000);
    const running = await awsError(
      t.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'kernel' })),
    );
    expect(running.code).toBe('IncorrectInstanceState');
    const other = await awsError(
      t.ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType' })),
    );
    expect(other.code).toBe('InvalidParameterValue');
  });
});

describe('DescribeInstanceStatus', () => {
  it('lists only running instances by default, all with IncludeAllInstances', async () => {
    const id = await launch();
    const list = async (IncludeAllInstances?: boolean) =>
      (await t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances })))
        .InstanceStatuses!;
    expect(await list()).toEqual([]);
    const pending = await list(true);
    expect(pending[0]?.InstanceState?.Name).toBe('pending');
    expect(pending[0]?.InstanceStatus?.Status).toBe('not-applicable');
    t.emu.clock.advance(1_000);
    const initializing = await list();
    expect(initializing[0]?.InstanceState).toEqual({ Code: 16, Name: 'running' });
    expect(initializing[0]?.InstanceStatus?.Status).toBe('initializing');
    t.emu.clock.advance(1_000);
    const ok = await list();
    expect(ok[0]?.InstanceStatus?.Status).toBe('ok');
    expect(ok[0]?.SystemStatus?.Details?.[0]).toEqual({ Name: 'reachability', Status: 'passed' });
    const filtered = await t.ec2.send(
      new DescribeInstanceStatusCommand({ Filters: [{ Name: 'instance-status.status', Values: ['ok'] }] }),
    );
    expect(filtered.InstanceStatuses!.map((s) => s.InstanceId)).toContain(id);
    const e = await awsError(
      t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ['i-00000000000000000'] })),
    );
    expect(e.code).toBe('InvalidInstanceID.NotFound');
  });
});

describe('GetConsoleOutput', () => {
  it('returns base64 text once the instance has booted', async () => {
    const id = await launch();
    t.emu.clock.advance(1_000);
    const out = await t.ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    expect(out.InstanceId).toBe(id);
    expect(Buffer.from(out.Output!, 'base64').toString()).toContain('login:');
  });
});
