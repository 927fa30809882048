import {
  CreateSubnetCidrReservationCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCidrReservationCommand,
  GetSubnetCidrReservationsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('subnet CIDR reservations', () => {
  it('reserves ranges inside the subnet, refuses overlaps, and deletes', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.170.0.0/16' }))).Vpc!.VpcId!;
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.170.1.0/24' })))
      .Subnet!.SubnetId!;
    const { SubnetCidrReservation } = await t.ec2.send(
      new CreateSubnetCidrReservationCommand({
        SubnetId,
        Cidr: '10.170.1.64/28',
        ReservationType: 'prefix',
        Description: 'pods',
      }),
    );
    expect(SubnetCidrReservation).toMatchObject({
      SubnetCidrReservationId: expect.stringMatching(/^scr-[0-9a-f]{17}$/),
      SubnetId,
      Cidr: '10.170.1.64/28',
      ReservationType: 'prefix',
      Description: 'pods',
    });
    const overlap = await awsError(
      t.ec2.send(
        new CreateSubnetCidrReservationCommand({
          SubnetId,
          Cidr: '10.170.1.64/27',
          ReservationType: 'explicit',
        }),
      ),
    );
    expect(overlap.code).toBe('InvalidSubnet.Conflict');
    const outside = await awsError(
      t.ec2.send(
        new CreateSubnetCidrReservationCommand({
          SubnetId,
          Cidr: '10.170.2.0/28',
          ReservationType: 'explicit',
        }),
      ),
    );
    expect(outside.code).toBe('InvalidSubnet.Range');
    const got = await t.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId }));
    expect(got.SubnetIpv4CidrReservations!.map((r) => r.Cidr)).toEqual(['10.170.1.64/28']);
    expect(got.SubnetIpv6CidrReservations).toEqual([]);
    await t.ec2.send(
      new DeleteSubnetCidrReservationCommand({
        SubnetCidrReservationId: SubnetCidrReservation!.SubnetCidrReservationId,
      }),
    );
    expect(
      (await t.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId }))).SubnetIpv4CidrReservations,
    ).toEqual([]);
    const gone = await awsError(
      t.ec2.send(
        new DeleteSubnetCidrReservationCommand({
          SubnetCidrReservationId: SubnetCidrReservation!.SubnetCidrReservationId,
        }),
      ),
    );
    expect(gone.code).toBe('InvalidSubnetCidrReservationID.NotFound');
  });
});
