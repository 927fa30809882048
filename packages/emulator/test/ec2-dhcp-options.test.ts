import {
  AssociateDhcpOptionsCommand,
  CreateDhcpOptionsCommand,
  CreateVpcCommand,
  DeleteDhcpOptionsCommand,
  DescribeDhcpOptionsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('DHCP options sets', () => {
  it("the region's default set is the default VPC's and every new VPC's", async () => {
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const { DhcpOptions } = await t.ec2.send(
      new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [def.DhcpOptionsId!] }),
    );
    expect(DhcpOptions![0]).toMatchObject({
      DhcpOptionsId: expect.stringMatching(/^dopt-[0-9a-f]{17}$/),
      OwnerId: '123456789012',
      DhcpConfigurations: [
        { Key: 'domain-name', Values: [{ Value: 'ec2.internal' }] },
        { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
      ],
    });
    const v = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }))).Vpc!;
    expect(v.DhcpOptionsId).toBe(def.DhcpOptionsId);
  });

  it('creates, associates, refuses deleting a set in use, and deletes', async () => {
    const { DhcpOptions } = await t.ec2.send(
      new CreateDhcpOptionsCommand({
        DhcpConfigurations: [
          { Key: 'domain-name', Values: ['corp.example'] },
          { Key: 'domain-name-servers', Values: ['10.0.0.2', '10.0.0.3'] },
        ],
        TagSpecifications: [{ ResourceType: 'dhcp-options', Tags: [{ Key: 'Name', Value: 'corp' }] }],
      }),
    );
    const id = DhcpOptions!.DhcpOptionsId!;
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.71.0.0/16' }))).Vpc!.VpcId!;
    await t.ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: id, VpcId }));
    const vpc = (await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] }))).Vpcs![0]!;
    expect(vpc.DhcpOptionsId).toBe(id);
    const byValue = await t.ec2.send(
      new DescribeDhcpOptionsCommand({ Filters: [{ Name: 'value', Values: ['corp.example'] }] }),
    );
    expect(byValue.DhcpOptions!.map((d) => d.DhcpOptionsId)).toEqual([id]);
    expect((await awsError(t.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: id })))).code).toBe(
      'DependencyViolation',
    );
    await t.ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: 'default', VpcId }));
    expect((await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] }))).Vpcs![0]!.DhcpOptionsId).toBe(
      'default',
    );
    await t.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: id }));
    expect((await awsError(t.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [id] })))).code).toBe(
      'InvalidDhcpOptionID.NotFound',
    );
  });

  it('validates keys and values before creating anything', async () => {
    const before = (await t.ec2.send(new DescribeDhcpOptionsCommand({}))).DhcpOptions!.length;
    const unknown = await awsError(
      t.ec2.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'dns', Values: ['1.1.1.1'] }] })),
    );
    expect(unknown.code).toBe('InvalidParameterValue');
    const tooMany = await awsError(
      t.ec2.send(
        new CreateDhcpOptionsCommand({
          DhcpConfigurations: [
            { Key: 'ntp-servers', Values: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5'] },
          ],
        }),
      ),
    );
    expect(tooMany.code).toBe('InvalidParameterValue');
    expect((await t.ec2.send(new DescribeDhcpOptionsCommand({}))).DhcpOptions).toHaveLength(before);
    expect((await awsError(t.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: 'dopt-x' })))).code).toBe(
      'InvalidDhcpOptionsId.Malformed',
    );
  });
});
