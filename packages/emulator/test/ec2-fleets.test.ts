import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  DeleteFleetsCommand,
  DescribeFleetInstancesCommand,
  DescribeFleetsCommand,
  DescribeInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000, shuttingDown: 1_000 });
let lt = '';

beforeAll(async () => {
  lt = (
    await t.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'fleet-lt',
        LaunchTemplateData: { ImageId: AL2023, InstanceType: 't3.micro' },
      }),
    )
  ).LaunchTemplate!.LaunchTemplateId!;
});

const states = async (ids: string[]) =>
  (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) =>
    r.Instances!.map((i) => i.State!.Name),
  );

describe('EC2 Fleet', () => {
  it('an instant fleet launches on-demand and spot capacity from a launch template and answers its instances', async () => {
    const out = await t.ec2.send(
      new CreateFleetCommand({
        Type: 'instant',
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateId: lt, Version: '$Latest' },
            Overrides: [
              { InstanceType: 'm5.large', Priority: 2 },
              { InstanceType: 'c5.large', Priority: 1 },
            ],
          },
        ],
        TargetCapacitySpecification: {
          TotalTargetCapacity: 3,
          OnDemandTargetCapacity: 2,
          DefaultTargetCapacityType: 'spot',
        },
        TagSpecifications: [
          { ResourceType: 'fleet', Tags: [{ Key: 'f', Value: '1' }] },
          { ResourceType: 'instance', Tags: [{ Key: 'from', Value: 'fleet' }] },
        ],
      }),
    );
    expect(out.FleetId).toMatch(/^fleet-[0-9a-f]{17}$/);
    expect(out.Errors).toEqual([]);
    const od = out.Instances!.find((i) => i.Lifecycle === 'on-demand')!;
    const spot = out.Instances!.find((i) => i.Lifecycle === 'spot')!;
    // On-demand takes the override with the best priority.
    expect(od).toMatchObject({
      InstanceType: 'c5.large',
      LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'c5.large' } },
    });
    expect(od.InstanceIds).toHaveLength(2);
    expect(spot.InstanceIds).toHaveLength(1);
    const spotInstance = (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: spot.InstanceIds })))
      .Reservations![0]!.Instances![0]!;
    expect(spotInstance.InstanceLifecycle).toBe('spot');
    expect(spotInstance.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'from', Value: 'fleet' },
        { Key: 'aws:ec2launchtemplate:id', Value: lt },
      ]),
    );
    const described = (await t.ec2.send(new DescribeFleetsCommand({ FleetIds: [out.FleetId!] }))).Fleets![0]!;
    expect(described).toMatchObject({
      FleetState: 'active',
      Type: 'instant',
      FulfilledCapacity: 3,
      FulfilledOnDemandCapacity: 2,
      TargetCapacitySpecification: {
        TotalTargetCapacity: 3,
        OnDemandTargetCapacity: 2,
        SpotTargetCapacity: 1,
      },
      Tags: [{ Key: 'f', Value: '1' }],
    });
    const noInstances = await awsError(
      t.ec2.send(new DescribeFleetInstancesCommand({ FleetId: out.FleetId })),
    );
    expect(noInstances.code).toBe('InvalidParameterValue');

    const keep = await t.ec2.send(
      new DeleteFleetsCommand({ FleetIds: [out.FleetId!], TerminateInstances: false }),
    );
    expect(keep.UnsuccessfulFleetDeletions![0]!.Error!.Code).toBe('fleetNotInDeletableState');
    const del = await t.ec2.send(
      new DeleteFleetsCommand({ FleetIds: [out.FleetId!], TerminateInstances: true }),
    );
    expect(del.SuccessfulFleetDeletions).toEqual([
      { FleetId: out.FleetId, PreviousFleetState: 'active', CurrentFleetState: 'deleted_terminating' },
    ]);
    expect(await states([...od.InstanceIds!, ...spot.InstanceIds!])).toEqual([
      'shutting-down',
      'shutting-down',
      'shutting-down',
    ]);
  });

  it('a failing override moves on to the next one and is reported', async () => {
    const out = await t.ec2.send(
      new CreateFleetCommand({
        Type: 'instant',
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateName: 'fleet-lt' },
            Overrides: [
              { InstanceType: 't3.micro', AvailabilityZone: 'us-east-1z', Priority: 1 },
              { InstanceType: 't3.micro', AvailabilityZone: 'us-east-1b', Priority: 2 },
            ],
          },
        ],
        TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
      }),
    );
    expect(out.Errors!.map((e) => e.ErrorCode)).toEqual(['InvalidParameterValue']);
    expect(out.Instances![0]!.InstanceIds).toHaveLength(1);
  });

  it('a maintain fleet is active with its instances; deleting it may leave them running', async () => {
    const { FleetId } = await t.ec2.send(
      new CreateFleetCommand({
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt } }],
        TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: 'on-demand' },
      }),
    );
    const active = await t.ec2.send(new DescribeFleetInstancesCommand({ FleetId }));
    expect(active.ActiveInstances).toHaveLength(2);
    expect(active.ActiveInstances![0]).toMatchObject({ InstanceType: 't3.micro', InstanceHealth: 'healthy' });
    const filtered = await t.ec2.send(
      new DescribeFleetsCommand({ Filters: [{ Name: 'type', Values: ['maintain'] }] }),
    );
    expect(filtered.Fleets!.map((f) => [f.FleetId, f.ActivityStatus])).toEqual([[FleetId, 'fulfilled']]);
    const del = await t.ec2.send(
      new DeleteFleetsCommand({ FleetIds: [FleetId!], TerminateInstances: false }),
    );
    expect(del.SuccessfulFleetDeletions![0]!.CurrentFleetState).toBe('deleted_running');
    t.emu.clock.advance(1_000);
    expect(await states(active.ActiveInstances!.map((i) => i.InstanceId!))).toEqual(['running', 'running']);
  });

  it('refuses unknown templates and capacities that do not add up, launching nothing', async () => {
    const before = (await t.ec2.send(new DescribeInstancesCommand({}))).Reservations!.length;
    const unknown = await awsError(
      t.ec2.send(
        new CreateFleetCommand({
          Type: 'instant',
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateName: 'nope' } }],
          TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
        }),
      ),
    );
    expect(unknown.code).toBe('InvalidLaunchTemplateName.NotFoundException');
    const sum = await awsError(
      t.ec2.send(
        new CreateFleetCommand({
          Type: 'instant',
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt } }],
          TargetCapacitySpecification: {
            TotalTargetCapacity: 1,
            OnDemandTargetCapacity: 1,
            SpotTargetCapacity: 1,
            DefaultTargetCapacityType: 'spot',
          },
        }),
      ),
    );
    expect(sum.code).toBe('InvalidParameterValue');
    expect((await t.ec2.send(new DescribeInstancesCommand({}))).Reservations).toHaveLength(before);
  });
});
