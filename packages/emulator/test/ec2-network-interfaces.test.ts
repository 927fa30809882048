import {
  AssignPrivateIpAddressesCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DetachNetworkInterfaceCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  type NetworkInterface,
  ResetNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  UnassignPrivateIpAddressesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000, shuttingDown: 1_000 });

let vpcId = '';
let subnetA = '';
let subnetB = '';

beforeAll(async () => {
  vpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  const sub = async (cidr: string, zone: string) =>
    (await t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone })))
      .Subnet!.SubnetId!;
  subnetA = await sub('10.20.1.0/24', 'us-east-1a');
  subnetB = await sub('10.20.2.0/24', 'us-east-1b');
});

const eni = async (id: string): Promise<NetworkInterface> =>
  (await t.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] })))
    .NetworkInterfaces![0]!;

const instance = async (id: string) =>
  (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

const run = async (subnetId: string, instanceType: 't3.micro' | 't2.nano' | 'm5.large' = 't3.micro') => {
  const out = await t.ec2.send(
    new RunInstancesCommand({
      ImageId: AL2023,
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
      InstanceType: instanceType,
    }),
  );
  t.emu.clock.advance(1_000);
  return out.Instances![0]!;
};

const create = async (extra: Partial<ConstructorParameters<typeof CreateNetworkInterfaceCommand>[0]> = {}) =>
  (await t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, ...extra }))).NetworkInterface!;

describe('network interfaces', () => {
  it('creates with addresses, a description, groups and tags; describes and filters them', async () => {
    const sg = (
      await t.ec2.send(
        new CreateSecurityGroupCommand({ GroupName: 'eni-web', Description: 'web', VpcId: vpcId }),
      )
    ).GroupId!;
    const created = await create({
      Description: 'service endpoint',
      PrivateIpAddress: '10.20.1.50',
      SecondaryPrivateIpAddressCount: 2,
      Groups: [sg],
      TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: 'Name', Value: 'svc' }] }],
    });
    expect(created).toMatchObject({
      NetworkInterfaceId: expect.stringMatching(/^eni-[0-9a-f]{17}$/),
      SubnetId: subnetA,
      VpcId: vpcId,
      AvailabilityZone: 'us-east-1a',
      Description: 'service endpoint',
      Status: 'available',
      PrivateIpAddress: '10.20.1.50',
      PrivateDnsName: 'ip-10-20-1-50.ec2.internal',
      Groups: [{ GroupId: sg, GroupName: 'eni-web' }],
      SourceDestCheck: true,
      InterfaceType: 'interface',
      OwnerId: '123456789012',
      MacAddress: expect.stringMatching(/^0e(:[0-9a-f]{2}){5}$/),
      TagSet: [{ Key: 'Name', Value: 'svc' }],
    });
    expect(created.Attachment).toBeUndefined();
    expect(created.PrivateIpAddresses).toHaveLength(3);
    expect(created.PrivateIpAddresses![0]).toMatchObject({ Primary: true, PrivateIpAddress: '10.20.1.50' });
    const secondaries = created.PrivateIpAddresses!.slice(1).map((p) => p.PrivateIpAddress);
    for (const ip of secondaries) expect(ip).toMatch(/^10\.20\.1\.\d+$/);

    const byFilter = async (Name: string, Values: string[]) =>
      (
        await t.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name, Values }] }))
      ).NetworkInterfaces!.map((n) => n.NetworkInterfaceId);
    const id = created.NetworkInterfaceId!;
    expect(await byFilter('addresses.private-ip-address', [secondaries[0]!])).toEqual([id]);
    expect(await byFilter('private-ip-address', ['10.20.1.50'])).toEqual([id]);
    expect(await byFilter('group-id', [sg])).toEqual([id]);
    expect(await byFilter('group-name', ['eni-web'])).toEqual([id]);
    expect(await byFilter('description', ['service*'])).toEqual([id]);
    expect(await byFilter('tag:Name', ['svc'])).toEqual([id]);
    expect(await byFilter('status', ['available'])).toContain(id);
    expect(await byFilter('subnet-id', [subnetB])).toEqual([]);
    const bad = await awsError(
      t.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    const both = await awsError(
      t.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id], MaxResults: 5 })),
    );
    expect(both.code).toBe('InvalidParameterCombination');

    // The group is in use: it cannot be deleted while the interface has it.
    expect((await awsError(t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg })))).code).toBe(
      'DependencyViolation',
    );
  });

  it('refuses an address in use, out of range, reserved, or groups of another VPC, changing nothing', async () => {
    const first = await create({ PrivateIpAddress: '10.20.1.60' });
    const before = (await t.ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.length;
    const taken = await awsError(
      t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.20.1.60' })),
    );
    expect(taken.code).toBe('InvalidIPAddress.InUse');
    const outside = await awsError(
      t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.20.2.9' })),
    );
    expect(outside.code).toBe('InvalidParameterValue');
    const reserved = await awsError(
      t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.20.1.1' })),
    );
    expect(reserved.message).toContain('reserved');
    const otherVpc = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.21.0.0/16' }))).Vpc!.VpcId!;
    const foreign = (
      await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', VpcId: otherVpc }))
    ).GroupId!;
    const wrongNet = await awsError(
      t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, Groups: [foreign] })),
    );
    expect(wrongNet.message).toContain('different networks');
    const noSubnet = await awsError(
      t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: 'subnet-0123456789abcdef0' })),
    );
    expect(noSubnet.code).toBe('InvalidSubnetID.NotFound');
    const dry = await awsError(
      t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, DryRun: true })),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect((await t.ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces).toHaveLength(
      before,
    );
    await t.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: first.NetworkInterfaceId }));
    const gone = await awsError(
      t.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [first.NetworkInterfaceId!] })),
    );
    expect(gone).toMatchObject({
      code: 'InvalidNetworkInterfaceID.NotFound',
      message: `The networkInterface ID '${first.NetworkInterfaceId}' does not exist`,
    });
    const malformed = await awsError(
      t.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: 'eni-zz' })),
    );
    expect(malformed.code).toBe('InvalidNetworkInterfaceId.Malformed');
  });

  it("an instance's primary interface is a real interface, in DescribeInstances and its filters", async () => {
    const i = await run(subnetA);
    const nics = (await instance(i.InstanceId!)).NetworkInterfaces!;
    expect(nics).toHaveLength(1);
    const primary = nics[0]!;
    expect(primary).toMatchObject({
      Attachment: { DeviceIndex: 0, DeleteOnTermination: true, Status: 'attached' },
      PrivateIpAddress: i.PrivateIpAddress,
      SubnetId: subnetA,
      Status: 'in-use',
    });
    const described = await eni(primary.NetworkInterfaceId!);
    expect(described).toMatchObject({
      Status: 'in-use',
      Attachment: {
        InstanceId: i.InstanceId,
        DeviceIndex: 0,
        AttachmentId: primary.Attachment!.AttachmentId,
      },
      PrivateIpAddress: i.PrivateIpAddress,
    });
    const filtered = await t.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'network-interface.network-interface-id', Values: [primary.NetworkInterfaceId!] }],
      }),
    );
    expect(filtered.Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId))).toEqual([
      i.InstanceId,
    ]);

    // The primary interface cannot be detached, nor deleted while attached.
    const detach = await awsError(
      t.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: primary.Attachment!.AttachmentId })),
    );
    expect(detach.code).toBe('OperationNotPermitted');
    const del = await awsError(
      t.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: primary.NetworkInterfaceId })),
    );
    expect(del.code).toBe('InvalidNetworkInterface.InUse');

    // ModifyInstanceAttribute's groups and source/dest check are the primary interface's.
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId, SourceDestCheck: { Value: false } }),
    );
    expect((await eni(primary.NetworkInterfaceId!)).SourceDestCheck).toBe(false);
    await t.ec2.send(
      new ResetNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: primary.NetworkInterfaceId,
        SourceDestCheck: 'sourceDestCheck',
      }),
    );
    expect((await instance(i.InstanceId!)).SourceDestCheck).toBe(true);

    // Termination deletes it (DeleteOnTermination) and frees its address.
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    t.emu.clock.advance(1_000);
    const after = await awsError(
      t.ec2.send(
        new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [primary.NetworkInterfaceId!] }),
      ),
    );
    expect(after.code).toBe('InvalidNetworkInterfaceID.NotFound');
  });

  it('attaches and detaches a secondary interface: device index, zone and the type limit', async () => {
    const i = await run(subnetA, 't2.nano');
    const e = await create();
    const id = e.NetworkInterfaceId!;
    const inB = await t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB }));
    const zone = await awsError(
      t.ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: inB.NetworkInterface!.NetworkInterfaceId,
          InstanceId: i.InstanceId,
          DeviceIndex: 1,
        }),
      ),
    );
    expect(zone.code).toBe('InvalidParameterCombination');
    const taken = await awsError(
      t.ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: id,
          InstanceId: i.InstanceId,
          DeviceIndex: 0,
        }),
      ),
    );
    expect(taken.message).toContain("already has an interface attached at device index '0'");
    expect((await eni(id)).Status).toBe('available');

    const { AttachmentId } = await t.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: id, InstanceId: i.InstanceId, DeviceIndex: 1 }),
    );
    expect(AttachmentId).toMatch(/^eni-attach-[0-9a-f]{17}$/);
    expect((await eni(id)).Attachment).toMatchObject({
      InstanceId: i.InstanceId,
      DeviceIndex: 1,
      DeleteOnTermination: false,
    });
    const nics = (await instance(i.InstanceId!)).NetworkInterfaces!;
    expect(nics.map((n) => n.Attachment!.DeviceIndex)).toEqual([0, 1]);
    const again = await awsError(
      t.ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: id,
          InstanceId: i.InstanceId,
          DeviceIndex: 2,
        }),
      ),
    );
    expect(again.code).toBe('InvalidNetworkInterface.InUse');

    // t2.nano takes two interfaces (the instance-type table's MaximumNetworkInterfaces).
    const third = await create();
    const limit = await awsError(
      t.ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: third.NetworkInterfaceId,
          InstanceId: i.InstanceId,
          DeviceIndex: 2,
        }),
      ),
    );
    expect(limit).toMatchObject({
      code: 'AttachmentLimitExceeded',
      message: 'Interface count 3 exceeds the limit for t2.nano',
    });

    // Attached, neither it nor its subnet can be deleted.
    expect(
      (await awsError(t.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id })))).code,
    ).toBe('InvalidNetworkInterface.InUse');
    const attr = await t.ec2.send(
      new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute: 'attachment' }),
    );
    expect(attr.Attachment).toMatchObject({ AttachmentId, DeviceIndex: 1 });
    await t.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: id,
        Attachment: { AttachmentId, DeleteOnTermination: true },
      }),
    );
    expect((await eni(id)).Attachment!.DeleteOnTermination).toBe(true);

    await t.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    expect((await eni(id)).Status).toBe('available');
    expect((await instance(i.InstanceId!)).NetworkInterfaces).toHaveLength(1);
    const unknown = await awsError(t.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId })));
    expect(unknown.code).toBe('InvalidAttachmentID.NotFound');
    await t.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
  });

  it('a secondary interface survives its instance unless DeleteOnTermination', async () => {
    const i = await run(subnetA);
    const keep = (await create()).NetworkInterfaceId!;
    await t.ec2.send(
      new AttachNetworkInterfaceCommand({
        NetworkInterfaceId: keep,
        InstanceId: i.InstanceId,
        DeviceIndex: 1,
      }),
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    t.emu.clock.advance(1_000);
    const e = await eni(keep);
    expect(e.Status).toBe('available');
    expect(e.Attachment).toBeUndefined();
  });

  it('modifies one attribute at a time, and describes each', async () => {
    const id = (await create({ Description: 'old' })).NetworkInterfaceId!;
    await t.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Description: { Value: 'new' } }),
    );
    const desc = await t.ec2.send(
      new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute: 'description' }),
    );
    expect(desc.Description).toEqual({ Value: 'new' });
    const two = await awsError(
      t.ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: id,
          Description: { Value: 'x' },
          SourceDestCheck: { Value: false },
        }),
      ),
    );
    expect(two.code).toBe('InvalidParameterCombination');
    expect((await eni(id)).Description).toBe('new');
    const sgs = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(
        async (n) =>
          (
            await t.ec2.send(
              new CreateSecurityGroupCommand({ GroupName: `lim-${n}`, Description: 'x', VpcId: vpcId }),
            )
          ).GroupId!,
      ),
    );
    const six = await awsError(
      t.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: sgs })),
    );
    expect(six.code).toBe('SecurityGroupsPerInterfaceLimitExceeded');
    await t.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: sgs.slice(0, 2) }),
    );
    const groups = await t.ec2.send(
      new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute: 'groupSet' }),
    );
    expect(groups.Groups!.map((g) => g.GroupId)).toEqual(sgs.slice(0, 2));
    await t.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: id,
        SourceDestCheck: { Value: false },
      }),
    );
    const sdc = await t.ec2.send(
      new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute: 'sourceDestCheck' }),
    );
    expect(sdc.SourceDestCheck).toEqual({ Value: false });
    const badAttr = await awsError(
      t.ec2.send(
        new DescribeNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: id,
          Attribute: 'bogus' as 'description',
        }),
      ),
    );
    expect(badAttr.code).toBe('InvalidParameterValue');
  });

  it('assigns and unassigns secondary addresses within the per-interface limit of the instance type', async () => {
    const i = await run(subnetA, 't2.nano');
    const primary = (await instance(i.InstanceId!)).NetworkInterfaces![0]!.NetworkInterfaceId!;
    const limit = (await t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t2.nano'] })))
      .InstanceTypes![0]!.NetworkInfo!.Ipv4AddressesPerInterface!;
    const { AssignedPrivateIpAddresses } = await t.ec2.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: primary,
        SecondaryPrivateIpAddressCount: limit - 1,
      }),
    );
    expect(AssignedPrivateIpAddresses).toHaveLength(limit - 1);
    const over = await awsError(
      t.ec2.send(
        new AssignPrivateIpAddressesCommand({
          NetworkInterfaceId: primary,
          SecondaryPrivateIpAddressCount: 1,
        }),
      ),
    );
    expect(over.code).toBe('PrivateIpAddressLimitExceeded');
    const secondary = AssignedPrivateIpAddresses![0]!.PrivateIpAddress!;
    const viaInstance = (await instance(i.InstanceId!)).NetworkInterfaces![0]!.PrivateIpAddresses!;
    expect(viaInstance.map((p) => p.Primary)).toEqual([
      true,
      ...AssignedPrivateIpAddresses!.map(() => false),
    ]);
    expect(viaInstance[0]!.PrivateIpAddress).toBe(i.PrivateIpAddress);
    expect(viaInstance[1]!.PrivateIpAddress).toBe(secondary);
    const byAddress = await t.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'network-interface.addresses.private-ip-address', Values: [secondary] }],
      }),
    );
    expect(byAddress.Reservations![0]!.Instances![0]!.InstanceId).toBe(i.InstanceId);

    // A secondary address of another interface moves only with AllowReassignment.
    const other = (await create()).NetworkInterfaceId!;
    const inUse = await awsError(
      t.ec2.send(
        new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: other, PrivateIpAddresses: [secondary] }),
      ),
    );
    expect(inUse.code).toBe('InvalidIPAddress.InUse');
    await t.ec2.send(
      new AssignPrivateIpAddressesCommand({
        NetworkInterfaceId: other,
        PrivateIpAddresses: [secondary],
        AllowReassignment: true,
      }),
    );
    expect((await eni(other)).PrivateIpAddresses!.map((p) => p.PrivateIpAddress)).toContain(secondary);
    expect((await eni(primary)).PrivateIpAddresses).toHaveLength(limit - 1);

    const primaryIp = await awsError(
      t.ec2.send(
        new UnassignPrivateIpAddressesCommand({
          NetworkInterfaceId: other,
          PrivateIpAddresses: [(await eni(other)).PrivateIpAddress!],
        }),
      ),
    );
    expect(primaryIp.code).toBe('InvalidParameterValue');
    const notHers = await awsError(
      t.ec2.send(
        new UnassignPrivateIpAddressesCommand({
          NetworkInterfaceId: other,
          PrivateIpAddresses: ['10.20.1.250'],
        }),
      ),
    );
    expect(notHers.code).toBe('InvalidParameterValue');
    await t.ec2.send(
      new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: other, PrivateIpAddresses: [secondary] }),
    );
    expect((await eni(other)).PrivateIpAddresses).toHaveLength(1);
    // The address is free again.
    await t.ec2.send(
      new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: other, PrivateIpAddresses: [secondary] }),
    );
  });

  it('a subnet with interfaces answers DependencyViolation until they are gone', async () => {
    const s = (
      await t.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.9.0/24', AvailabilityZone: 'us-east-1c' }),
      )
    ).Subnet!.SubnetId!;
    const e = (await t.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: s }))).NetworkInterface!;
    const blocked = await awsError(t.ec2.send(new DeleteSubnetCommand({ SubnetId: s })));
    expect(blocked).toMatchObject({
      code: 'DependencyViolation',
      message: `The subnet '${s}' has dependencies and cannot be deleted.`,
    });
    await t.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: e.NetworkInterfaceId }));
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId: s }));
  });

  it('RunInstances takes NetworkInterfaces: an existing one as primary, and new secondary ones', async () => {
    const existing = (await create({ Description: 'primary-to-be' })).NetworkInterfaceId!;
    const ran = await t.ec2.send(
      new RunInstancesCommand({
        ImageId: AL2023,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 'm5.large',
        NetworkInterfaces: [
          { DeviceIndex: 0, NetworkInterfaceId: existing },
          { DeviceIndex: 1, SubnetId: subnetA, Description: 'second', SecondaryPrivateIpAddressCount: 1 },
        ],
        TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: 'k', Value: 'v' }] }],
      }),
    );
    const i = ran.Instances![0]!;
    expect(i.SubnetId).toBe(subnetA);
    expect(i.NetworkInterfaces!.map((n) => [n.Attachment!.DeviceIndex, n.Description])).toEqual([
      [0, 'primary-to-be'],
      [1, 'second'],
    ]);
    expect(i.NetworkInterfaces![0]!.NetworkInterfaceId).toBe(existing);
    expect(i.NetworkInterfaces![0]!.Attachment!.DeleteOnTermination).toBe(false);
    expect(i.NetworkInterfaces![1]!.PrivateIpAddresses).toHaveLength(2);
    expect((await eni(i.NetworkInterfaces![1]!.NetworkInterfaceId!)).TagSet).toEqual([
      { Key: 'k', Value: 'v' },
    ]);
    const used = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: existing }],
        }),
      ),
    );
    expect(used.code).toBe('InvalidNetworkInterface.InUse');
    // Terminated, the existing interface (DeleteOnTermination false) stays; the new one goes.
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    t.emu.clock.advance(1_000);
    expect((await eni(existing)).Status).toBe('available');
  });
});
