import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateManagedPrefixListCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  DeleteManagedPrefixListCommand,
  DeleteRouteCommand,
  DescribeManagedPrefixListsCommand,
  DescribePrefixListsCommand,
  GetManagedPrefixListEntriesCommand,
  ModifyManagedPrefixListCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('managed prefix lists', () => {
  it('lists the AWS-managed S3 and DynamoDB lists with their CIDRs', async () => {
    const { PrefixLists } = await t.ec2.send(new DescribePrefixListsCommand({}));
    expect(PrefixLists!.map((p) => [p.PrefixListId, p.PrefixListName])).toEqual([
      ['pl-63a5400a', 'com.amazonaws.us-east-1.s3'],
      ['pl-02cd2c6b', 'com.amazonaws.us-east-1.dynamodb'],
    ]);
    expect(PrefixLists![0]!.Cidrs!.length).toBeGreaterThan(0);
    const managed = await t.ec2.send(
      new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'owner-id', Values: ['AWS'] }] }),
    );
    expect(managed.PrefixLists).toHaveLength(2);
  });

  it('creates a versioned list, modifies it by version, and reads any version', async () => {
    const { PrefixList } = await t.ec2.send(
      new CreateManagedPrefixListCommand({
        PrefixListName: 'office',
        AddressFamily: 'IPv4',
        MaxEntries: 3,
        Entries: [{ Cidr: '203.0.113.0/24', Description: 'hq' }],
      }),
    );
    const id = PrefixList!.PrefixListId!;
    expect(PrefixList).toMatchObject({
      Version: 1,
      State: 'create-complete',
      OwnerId: '123456789012',
      MaxEntries: 3,
    });
    const stale = await awsError(
      t.ec2.send(
        new ModifyManagedPrefixListCommand({
          PrefixListId: id,
          CurrentVersion: 7,
          AddEntries: [{ Cidr: '198.51.100.0/24' }],
        }),
      ),
    );
    expect(stale.code).toBe('PrefixListVersionMismatch');
    const tooMany = await awsError(
      t.ec2.send(
        new ModifyManagedPrefixListCommand({
          PrefixListId: id,
          CurrentVersion: 1,
          AddEntries: [{ Cidr: '198.51.100.0/24' }, { Cidr: '192.0.2.0/24' }, { Cidr: '192.0.3.0/24' }],
        }),
      ),
    );
    expect(tooMany.code).toBe('InvalidParameterValue');
    const modified = await t.ec2.send(
      new ModifyManagedPrefixListCommand({
        PrefixListId: id,
        CurrentVersion: 1,
        AddEntries: [{ Cidr: '198.51.100.0/24' }],
        RemoveEntries: [{ Cidr: '203.0.113.0/24' }],
      }),
    );
    expect(modified.PrefixList).toMatchObject({ Version: 2, State: 'modify-complete' });
    const v1 = await t.ec2.send(
      new GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: 1 }),
    );
    expect(v1.Entries).toEqual([{ Cidr: '203.0.113.0/24', Description: 'hq' }]);
    const v2 = await t.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id }));
    expect(v2.Entries).toEqual([{ Cidr: '198.51.100.0/24' }]);
  });

  it('a list a route uses cannot be deleted', async () => {
    const id = (
      await t.ec2.send(
        new CreateManagedPrefixListCommand({ PrefixListName: 'peers', AddressFamily: 'IPv4', MaxEntries: 5 }),
      )
    ).PrefixList!.PrefixListId!;
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.93.0.0/16' }))).Vpc!.VpcId!;
    const igw = (await t.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }));
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }),
    );
    expect((await awsError(t.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id })))).code).toBe(
      'DependencyViolation',
    );
    await t.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id }));
    const deleted = await t.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id }));
    expect(deleted.PrefixList!.State).toBe('delete-complete');
    expect(
      (await awsError(t.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id })))).code,
    ).toBe('InvalidPrefixListID.NotFound');
  });
});
