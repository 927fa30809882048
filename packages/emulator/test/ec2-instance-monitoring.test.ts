import {
  DescribeInstancesCommand,
  ModifyInstanceMaintenanceOptionsCommand,
  MonitorInstancesCommand,
  RunInstancesCommand,
  UnmonitorInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const instance = async (id: string) =>
  (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

describe('monitoring and maintenance options', () => {
  it('detailed monitoring at launch, on and off; filtered by monitoring-state', async () => {
    const run = await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: 2, MaxCount: 2, Monitoring: { Enabled: true } }),
    );
    const [a, b] = run.Instances!.map((i) => i.InstanceId!);
    expect(run.Instances![0]!.Monitoring).toEqual({ State: 'enabled' });
    const off = await t.ec2.send(new UnmonitorInstancesCommand({ InstanceIds: [a!] }));
    expect(off.InstanceMonitorings).toEqual([{ InstanceId: a, Monitoring: { State: 'disabling' } }]);
    expect((await instance(a!)).Monitoring).toEqual({ State: 'disabled' });
    const enabled = await t.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'monitoring-state', Values: ['enabled'] }] }),
    );
    expect(enabled.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([b]);
    const on = await t.ec2.send(new MonitorInstancesCommand({ InstanceIds: [a!] }));
    expect(on.InstanceMonitorings![0]!.Monitoring).toEqual({ State: 'pending' });
    expect((await instance(a!)).Monitoring).toEqual({ State: 'enabled' });
    const missing = await awsError(
      t.ec2.send(new MonitorInstancesCommand({ InstanceIds: [a!, 'i-0123456789abcdef0'] })),
    );
    expect(missing.code).toBe('InvalidInstanceID.NotFound');
  });

  it('auto-recovery can be disabled and restored', async () => {
    const id = (await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 })))
      .Instances![0]!.InstanceId!;
    expect((await instance(id)).MaintenanceOptions!.AutoRecovery).toBe('default');
    const out = await t.ec2.send(
      new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: id, AutoRecovery: 'disabled' }),
    );
    expect(out).toMatchObject({ InstanceId: id, AutoRecovery: 'disabled' });
    expect((await instance(id)).MaintenanceOptions!.AutoRecovery).toBe('disabled');
    const bad = await awsError(
      t.ec2.send(
        new ModifyInstanceMaintenanceOptionsCommand({
          InstanceId: id,
          AutoRecovery: 'sometimes' as 'default',
        }),
      ),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    expect((await instance(id)).MaintenanceOptions!.AutoRecovery).toBe('disabled');
  });
});
