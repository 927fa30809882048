import {
  CancelCapacityReservationCommand,
  type CapacityReservation,
  CreateCapacityReservationCommand,
  DescribeCapacityReservationsCommand,
  DescribeInstancesCommand,
  ModifyCapacityReservationCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000, stopping: 1_000 });

const reservation = async (id: string): Promise<CapacityReservation> =>
  (await t.ec2.send(new DescribeCapacityReservationsCommand({ CapacityReservationIds: [id] })))
    .CapacityReservations![0]!;

const create = async (extra = {}) =>
  (
    await t.ec2.send(
      new CreateCapacityReservationCommand({
        InstanceType: 'm5.large',
        InstancePlatform: 'Linux/UNIX',
        AvailabilityZone: 'us-east-1a',
        InstanceCount: 2,
        ...extra,
      }),
    )
  ).CapacityReservation!;

const launch = (extra = {}, count = 1) =>
  t.ec2.send(
    new RunInstancesCommand({
      ImageId: AL2023,
      InstanceType: 'm5.large',
      MinCount: count,
      MaxCount: count,
      Placement: { AvailabilityZone: 'us-east-1a' },
      ...extra,
    }),
  );

describe('capacity reservations', () => {
  it('an open reservation is used by matching launches, and freed when they stop', async () => {
    const c = await create({
      TagSpecifications: [{ ResourceType: 'capacity-reservation', Tags: [{ Key: 'k', Value: 'v' }] }],
    });
    expect(c).toMatchObject({
      CapacityReservationId: expect.stringMatching(/^cr-[0-9a-f]{17}$/),
      State: 'active',
      TotalInstanceCount: 2,
      AvailableInstanceCount: 2,
      InstanceMatchCriteria: 'open',
      EndDateType: 'unlimited',
      Tenancy: 'default',
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    const i = (await launch()).Instances![0]!;
    expect(i.CapacityReservationId).toBe(c.CapacityReservationId);
    expect((await reservation(c.CapacityReservationId!)).AvailableInstanceCount).toBe(1);
    // Another zone or type does not match.
    const other = (await launch({ Placement: { AvailabilityZone: 'us-east-1b' } })).Instances![0]!;
    expect(other.CapacityReservationId).toBeUndefined();
    const none = (
      await launch({ CapacityReservationSpecification: { CapacityReservationPreference: 'none' } })
    ).Instances![0]!;
    expect(none.CapacityReservationId).toBeUndefined();
    expect(none.CapacityReservationSpecification!.CapacityReservationPreference).toBe('none');
    t.emu.clock.advance(1_000);
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    t.emu.clock.advance(1_000);
    expect((await reservation(c.CapacityReservationId!)).AvailableInstanceCount).toBe(2);
    await t.ec2.send(
      new CancelCapacityReservationCommand({ CapacityReservationId: c.CapacityReservationId }),
    );
  });

  it('a targeted reservation takes only launches that name it, up to its count', async () => {
    const c = await create({ InstanceMatchCriteria: 'targeted', InstanceCount: 1 });
    const plain = (await launch()).Instances![0]!;
    expect(plain.CapacityReservationId).toBeUndefined();
    const target = {
      CapacityReservationSpecification: {
        CapacityReservationTarget: { CapacityReservationId: c.CapacityReservationId },
      },
    };
    const over = await awsError(launch(target, 2));
    expect(over.code).toBe('ReservationCapacityExceeded');
    const i = (await launch(target)).Instances![0]!;
    expect(i.CapacityReservationId).toBe(c.CapacityReservationId);
    const full = await awsError(launch(target));
    expect(full.code).toBe('ReservationCapacityExceeded');
    const mismatch = await awsError(launch({ ...target, InstanceType: 'c5.large' }));
    expect(mismatch.code).toBe('InvalidParameterValue');
    const byId = await t.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'capacity-reservation-id', Values: [c.CapacityReservationId!] }],
      }),
    );
    expect(byId.Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId))).toEqual([i.InstanceId]);

    // Below the instances using it is refused; above is fine.
    expect(
      (
        await awsError(
          t.ec2.send(
            new ModifyCapacityReservationCommand({
              CapacityReservationId: c.CapacityReservationId,
              InstanceCount: 0,
            }),
          ),
        )
      ).code,
    ).toBe('InvalidParameterValue');
    await t.ec2.send(
      new ModifyCapacityReservationCommand({
        CapacityReservationId: c.CapacityReservationId,
        InstanceCount: 3,
      }),
    );
    expect(await reservation(c.CapacityReservationId!)).toMatchObject({
      TotalInstanceCount: 3,
      AvailableInstanceCount: 2,
    });
  });

  it('a limited reservation expires on the clock; a cancelled one can be neither used nor changed', async () => {
    const end = new Date(Date.UTC(2026, 0, 1, 1));
    const c = await create({ EndDateType: 'limited', EndDate: end });
    const noEnd = await awsError(
      t.ec2.send(
        new CreateCapacityReservationCommand({
          InstanceType: 'm5.large',
          InstancePlatform: 'Linux/UNIX',
          AvailabilityZone: 'us-east-1a',
          InstanceCount: 1,
          EndDateType: 'limited',
        }),
      ),
    );
    expect(noEnd.code).toBe('MissingParameter');
    t.emu.clock.advance(2 * 60 * 60_000);
    expect((await reservation(c.CapacityReservationId!)).State).toBe('expired');
    const filtered = await t.ec2.send(
      new DescribeCapacityReservationsCommand({ Filters: [{ Name: 'state', Values: ['expired'] }] }),
    );
    expect(filtered.CapacityReservations!.map((x) => x.CapacityReservationId)).toEqual([
      c.CapacityReservationId,
    ]);

    const d = await create();
    await t.ec2.send(
      new CancelCapacityReservationCommand({ CapacityReservationId: d.CapacityReservationId }),
    );
    expect((await reservation(d.CapacityReservationId!)).State).toBe('cancelled');
    expect(
      (
        await awsError(
          t.ec2.send(
            new CancelCapacityReservationCommand({ CapacityReservationId: d.CapacityReservationId }),
          ),
        )
      ).code,
    ).toBe('IncorrectState');
    const used = await awsError(
      launch({
        CapacityReservationSpecification: {
          CapacityReservationTarget: { CapacityReservationId: d.CapacityReservationId },
        },
      }),
    );
    expect(used.code).toBe('IncorrectState');
    expect(
      (
        await awsError(
          t.ec2.send(
            new DescribeCapacityReservationsCommand({ CapacityReservationIds: ['cr-0123456789abcdef0'] }),
          ),
        )
      ).code,
    ).toBe('InvalidCapacityReservationId.NotFound');
  });
});
