import {
  AllocateAddressCommand,
  AssignPrivateNatGatewayAddressCommand,
  AssociateNatGatewayAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNatGatewayCommand,
  DeleteSubnetCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DetachInternetGatewayCommand,
  DisassociateNatGatewayAddressCommand,
  ReleaseAddressCommand,
  UnassignPrivateNatGatewayAddressCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 10_000 });

const nat = async (id: string) =>
  (await t.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways![0]!;

async function publicSubnet(cidr: string, withIgw = true) {
  const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  if (withIgw) {
    const igw = (await t.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }));
  }
  const SubnetId = (
    await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: cidr.replace('.0.0/16', '.1.0/24') }))
  ).Subnet!.SubnetId!;
  return { VpcId, SubnetId };
}

describe('NAT gateways', () => {
  it('public: holds its Elastic IP, pending → available on the clock, deleting → deleted', async () => {
    const { VpcId, SubnetId } = await publicSubnet('10.50.0.0/16');
    const { AllocationId, PublicIp } = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const created = await t.ec2.send(
      new CreateNatGatewayCommand({
        SubnetId,
        AllocationId,
        TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'egress' }] }],
      }),
    );
    const id = created.NatGateway!.NatGatewayId!;
    expect(created.NatGateway).toMatchObject({
      NatGatewayId: expect.stringMatching(/^nat-[0-9a-f]{17}$/),
      State: 'pending',
      VpcId,
      SubnetId,
      ConnectivityType: 'public',
      NatGatewayAddresses: [
        { AllocationId, PublicIp, PrivateIp: expect.stringMatching(/^10\.50\.1\./), IsPrimary: true },
      ],
      Tags: [{ Key: 'Name', Value: 'egress' }],
    });
    // The address is taken: another NAT gateway cannot use it, and it cannot be released.
    const { SubnetId: other } = await publicSubnet('10.51.0.0/16');
    const taken = await awsError(t.ec2.send(new CreateNatGatewayCommand({ SubnetId: other, AllocationId })));
    expect(taken.code).toBe('Resource.AlreadyAssociated');
    expect((await awsError(t.ec2.send(new ReleaseAddressCommand({ AllocationId })))).code).toBe(
      'InvalidIPAddress.InUse',
    );
    const addr = (await t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] })))
      .Addresses![0]!;
    expect(addr.NetworkInterfaceId).toBe(created.NatGateway!.NatGatewayAddresses![0]!.NetworkInterfaceId);

    // A route to it is a blackhole until it is available.
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: id }),
    );
    const routeState = async () =>
      (await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!
        .Routes![1]!.State;
    expect(await routeState()).toBe('blackhole');
    t.emu.clock.advance(10_000);
    expect((await nat(id)).State).toBe('available');
    expect(await routeState()).toBe('active');
    const byState = await t.ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }] }),
    );
    expect(byState.NatGateways!.map((n) => n.NatGatewayId)).toContain(id);

    // It keeps its subnet from deletion.
    expect((await awsError(t.ec2.send(new DeleteSubnetCommand({ SubnetId })))).code).toBe(
      'DependencyViolation',
    );
    expect((await t.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: id }))).NatGatewayId).toBe(id);
    expect((await nat(id)).State).toBe('deleting');
    t.emu.clock.advance(10_000);
    expect(await nat(id)).toMatchObject({ State: 'deleted', DeleteTime: expect.any(Date) });
    expect(await routeState()).toBe('blackhole');
    await t.ec2.send(new ReleaseAddressCommand({ AllocationId }));
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId }));
    // Deleted gateways stay listed for an hour.
    t.emu.clock.advance(60 * 60_000);
    expect((await awsError(t.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] })))).code).toBe(
      'NatGatewayNotFound',
    );
  });

  it('public without an internet gateway fails with Gateway.NotAttached; private needs no address', async () => {
    const { SubnetId } = await publicSubnet('10.52.0.0/16', false);
    const { AllocationId } = await t.ec2.send(new AllocateAddressCommand({}));
    const failing = (await t.ec2.send(new CreateNatGatewayCommand({ SubnetId, AllocationId }))).NatGateway!;
    t.emu.clock.advance(10_000);
    expect(await nat(failing.NatGatewayId!)).toMatchObject({
      State: 'failed',
      FailureCode: 'Gateway.NotAttached',
    });
    // A failed gateway gives its address back.
    await t.ec2.send(new ReleaseAddressCommand({ AllocationId }));

    const missing = await awsError(t.ec2.send(new CreateNatGatewayCommand({ SubnetId })));
    expect(missing.code).toBe('MissingParameter');
    const priv = (await t.ec2.send(new CreateNatGatewayCommand({ SubnetId, ConnectivityType: 'private' })))
      .NatGateway!;
    expect(priv.NatGatewayAddresses![0]!.PublicIp).toBeUndefined();
    expect(priv.NatGatewayAddresses![0]!.AllocationId).toBeUndefined();
    t.emu.clock.advance(10_000);
    expect((await nat(priv.NatGatewayId!)).State).toBe('available');
  });

  it('keeps the internet gateway attached while a public one is available; ids are checked', async () => {
    const { VpcId, SubnetId } = await publicSubnet('10.53.0.0/16');
    const { AllocationId } = await t.ec2.send(new AllocateAddressCommand({}));
    await t.ec2.send(new CreateNatGatewayCommand({ SubnetId, AllocationId }));
    t.emu.clock.advance(10_000);
    const igw = (
      await t.ec2.send(
        new DescribeInternetGatewaysCommand({
          Filters: [{ Name: 'attachment.vpc-id', Values: [VpcId] }],
        }),
      )
    ).InternetGateways![0]!.InternetGatewayId!;
    const mapped = await awsError(
      t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId })),
    );
    expect(mapped.code).toBe('DependencyViolation');
    expect((await awsError(t.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-bad' })))).code).toBe(
      'NatGatewayMalformed',
    );
    expect(
      (await awsError(t.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0123456789abcdef0' }))))
        .code,
    ).toBe('NatGatewayNotFound');
    const noAlloc = await awsError(
      t.ec2.send(new CreateNatGatewayCommand({ SubnetId, AllocationId: 'eipalloc-0123456789abcdef0' })),
    );
    expect(noAlloc.code).toBe('InvalidAllocationID.NotFound');
  });

  it('takes secondary Elastic IPs (public) and private addresses (private), never the primary', async () => {
    const { SubnetId } = await publicSubnet('10.54.0.0/16');
    const primary = await t.ec2.send(new AllocateAddressCommand({}));
    const second = await t.ec2.send(new AllocateAddressCommand({}));
    const pub = (
      await t.ec2.send(new CreateNatGatewayCommand({ SubnetId, AllocationId: primary.AllocationId }))
    ).NatGateway!.NatGatewayId!;
    const early = await awsError(
      t.ec2.send(
        new AssociateNatGatewayAddressCommand({ NatGatewayId: pub, AllocationIds: [second.AllocationId!] }),
      ),
    );
    expect(early.code).toBe('InvalidNatGatewayState');
    t.emu.clock.advance(10_000);
    const taken = await awsError(
      t.ec2.send(
        new AssociateNatGatewayAddressCommand({ NatGatewayId: pub, AllocationIds: [primary.AllocationId!] }),
      ),
    );
    expect(taken.code).toBe('Resource.AlreadyAssociated');
    const added = await t.ec2.send(
      new AssociateNatGatewayAddressCommand({ NatGatewayId: pub, AllocationIds: [second.AllocationId!] }),
    );
    expect(added.NatGatewayAddresses).toEqual([
      expect.objectContaining({
        AllocationId: second.AllocationId,
        PublicIp: second.PublicIp,
        IsPrimary: false,
      }),
    ]);
    expect((await nat(pub)).NatGatewayAddresses).toHaveLength(2);
    const primaryAssoc = (await nat(pub)).NatGatewayAddresses![0]!.AssociationId!;
    const cannot = await awsError(
      t.ec2.send(
        new DisassociateNatGatewayAddressCommand({ NatGatewayId: pub, AssociationIds: [primaryAssoc] }),
      ),
    );
    expect(cannot.code).toBe('InvalidParameterValue');
    await t.ec2.send(
      new DisassociateNatGatewayAddressCommand({
        NatGatewayId: pub,
        AssociationIds: [added.NatGatewayAddresses![0]!.AssociationId!],
      }),
    );
    expect((await nat(pub)).NatGatewayAddresses).toHaveLength(1);
    await t.ec2.send(new ReleaseAddressCommand({ AllocationId: second.AllocationId }));

    const priv = (await t.ec2.send(new CreateNatGatewayCommand({ SubnetId, ConnectivityType: 'private' })))
      .NatGateway!.NatGatewayId!;
    t.emu.clock.advance(10_000);
    const wrongKind = await awsError(
      t.ec2.send(
        new AssociateNatGatewayAddressCommand({ NatGatewayId: priv, AllocationIds: [second.AllocationId!] }),
      ),
    );
    expect(wrongKind.code).toBe('InvalidParameterValue');
    const assigned = await t.ec2.send(
      new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: priv, PrivateIpAddressCount: 2 }),
    );
    const ips = assigned.NatGatewayAddresses!.map((a) => a.PrivateIp!);
    expect(ips).toHaveLength(2);
    await t.ec2.send(
      new UnassignPrivateNatGatewayAddressCommand({ NatGatewayId: priv, PrivateIpAddresses: [ips[0]!] }),
    );
    expect((await nat(priv)).NatGatewayAddresses!.map((a) => a.PrivateIp)).toContain(ips[1]);
    expect((await nat(priv)).NatGatewayAddresses).toHaveLength(2);
    const tooMany = await awsError(
      t.ec2.send(new AssignPrivateNatGatewayAddressCommand({ NatGatewayId: priv, PrivateIpAddressCount: 7 })),
    );
    expect(tooMany.code).toBe('NatGatewayLimitExceeded');
  });
});
