import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });

const vpc = async (cidr: string) => (await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;

const gateway = async (id: string) =>
  (await t.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }))).InternetGateways![0]!;

describe('internet gateways', () => {
  it('the default VPC has one attached (its state reads "available")', async () => {
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const { InternetGateways } = await t.ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [def.VpcId!] }] }),
    );
    expect(InternetGateways).toHaveLength(1);
    expect(InternetGateways![0]).toMatchObject({
      InternetGatewayId: expect.stringMatching(/^igw-[0-9a-f]{17}$/),
      OwnerId: '123456789012',
      Attachments: [{ VpcId: def.VpcId, State: 'available' }],
    });
  });

  it('creates with tags, attaches, detaches and deletes', async () => {
    const v = await vpc('10.1.0.0/16');
    const { InternetGateway } = await t.ec2.send(
      new CreateInternetGatewayCommand({
        TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'Name', Value: 'edge' }] }],
      }),
    );
    const id = InternetGateway!.InternetGatewayId!;
    expect(InternetGateway).toMatchObject({ Attachments: [], Tags: [{ Key: 'Name', Value: 'edge' }] });

    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: v }));
    expect((await gateway(id)).Attachments).toEqual([{ VpcId: v, State: 'available' }]);
    const byTag = await t.ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'tag:Name', Values: ['edge'] }] }),
    );
    expect(byTag.InternetGateways!.map((g) => g.InternetGatewayId)).toEqual([id]);

    // Attached: neither it nor its VPC can be deleted.
    const inUse = await awsError(t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })));
    expect(inUse.code).toBe('DependencyViolation');
    expect(inUse.message).toBe(`The internetGateway '${id}' has dependencies and cannot be deleted.`);
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId: v })))).code).toBe('DependencyViolation');

    await t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: v }));
    expect((await gateway(id)).Attachments).toEqual([]);
    await t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id }));
    expect(
      (await awsError(t.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] })))).code,
    ).toBe('InvalidInternetGatewayID.NotFound');
    await t.ec2.send(new DeleteVpcCommand({ VpcId: v }));
  });

  it('refuses a second attachment either way, and detaching from the wrong VPC', async () => {
    const [a, b] = [await vpc('10.2.0.0/16'), await vpc('10.3.0.0/16')];
    const g1 = (await t.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    const g2 = (await t.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: g1, VpcId: a }));
    const again = await awsError(
      t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: g1, VpcId: b })),
    );
    expect(again.code).toBe('Resource.AlreadyAssociated');
    const second = await awsError(
      t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: g2, VpcId: a })),
    );
    expect(second.code).toBe('Resource.AlreadyAssociated');
    expect((await gateway(g2)).Attachments).toEqual([]);
    const wrong = await awsError(
      t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: g1, VpcId: b })),
    );
    expect(wrong.code).toBe('Gateway.NotAttached');
    expect((await gateway(g1)).Attachments).toEqual([{ VpcId: a, State: 'available' }]);
    const dry = await awsError(
      t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: g1, VpcId: a, DryRun: true })),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect((await gateway(g1)).Attachments).toHaveLength(1);
  });

  it('stays attached while an instance in the VPC has a public address', async () => {
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const igw = (
      await t.ec2.send(
        new DescribeInternetGatewaysCommand({
          Filters: [{ Name: 'attachment.vpc-id', Values: [def.VpcId!] }],
        }),
      )
    ).InternetGateways![0]!.InternetGatewayId!;
    const run = await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));
    const iid = run.Instances![0]!.InstanceId!;
    const mapped = await awsError(
      t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: def.VpcId })),
    );
    expect(mapped.code).toBe('DependencyViolation');
    expect(mapped.message).toContain('mapped public address');
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
    t.emu.clock.advance(1_000);
    await t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: def.VpcId }));
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: def.VpcId }));
  });

  it('answers Malformed and NotFound for bad ids', async () => {
    const bad = await awsError(
      t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: 'igw-xyz' })),
    );
    expect(bad.code).toBe('InvalidInternetGatewayId.Malformed');
    const missing = await awsError(
      t.ec2.send(
        new DescribeInternetGatewaysCommand({
          InternetGatewayIds: ['igw-0123456789abcdef0', 'igw-0123456789abcdef1'],
        }),
      ),
    );
    expect(missing).toMatchObject({
      code: 'InvalidInternetGatewayID.NotFound',
      message: "The internetGateway IDs 'igw-0123456789abcdef0, igw-0123456789abcdef1' do not exist",
    });
    const filter = await awsError(
      t.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })),
    );
    expect(filter.code).toBe('InvalidParameterValue');
  });
});
