import {
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteTagsCommand,
  DescribeInstancesCommand,
  DescribeTagsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2();

async function instance() {
  const r = await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));
  return r.Instances![0]!.InstanceId!;
}

const tagsOf = async (id: string) =>
  (await t.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }))).Tags!.map(
    (x) => `${x.Key}=${x.Value}`,
  );

describe('tags', () => {
  it('creates, overwrites and describes tags with resource type', async () => {
    const id = await instance();
    await t.ec2.send(
      new CreateTagsCommand({
        Resources: [id],
        Tags: [
          { Key: 'Name', Value: 'a' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'env', Value: 'prod' }] }));
    const d = await t.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }));
    expect(d.Tags).toEqual([
      { Key: 'Name', Value: 'a', ResourceId: id, ResourceType: 'instance' },
      { Key: 'env', Value: 'prod', ResourceId: id, ResourceType: 'instance' },
    ]);
    const inst = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(inst.Reservations![0]!.Instances![0]!.Tags).toHaveLength(2);
  });

  it('deletes a tag by key, and by key and value only when the value matches', async () => {
    const id = await instance();
    await t.ec2.send(
      new CreateTagsCommand({
        Resources: [id],
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
          { Key: 'c', Value: '3' },
        ],
      }),
    );
    await t.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'a' }] }));
    await t.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'b', Value: 'other' }] }));
    expect(await tagsOf(id)).toEqual(['b=2', 'c=3']);
    await t.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'b', Value: '2' }] }));
    expect(await tagsOf(id)).toEqual(['c=3']);
  });

  it('filters DescribeTags by key, value and resource-type, and pages', async () => {
    const vol = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }));
    const ids = [await instance(), await instance(), vol.VolumeId!];
    await t.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'team', Value: 'blue' }] }));
    const byKey = await t.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }] }));
    expect(byKey.Tags!.map((x) => x.ResourceId).sort()).toEqual([...ids].sort());
    const volumes = await t.ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'value', Values: ['bl*'] },
          { Name: 'resource-type', Values: ['volume'] },
        ],
      }),
    );
    expect(volumes.Tags).toEqual([
      { Key: 'team', Value: 'blue', ResourceId: vol.VolumeId, ResourceType: 'volume' },
    ]);
    const page = await t.ec2.send(new DescribeTagsCommand({ MaxResults: 5 }));
    expect(page.Tags).toHaveLength(5);
    expect(page.NextToken).toBeDefined();
    const rest = await t.ec2.send(new DescribeTagsCommand({ MaxResults: 1000, NextToken: page.NextToken }));
    const all = await t.ec2.send(new DescribeTagsCommand({}));
    expect(page.Tags!.length + rest.Tags!.length).toBe(all.Tags!.length);
    expect(
      (await awsError(t.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] }))))
        .code,
    ).toBe('InvalidParameterValue');
  });

  it('refuses unknown resources, reserved keys and DryRun', async () => {
    const nf = await awsError(
      t.ec2.send(
        new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] }),
      ),
    );
    expect(nf.code).toBe('InvalidInstanceID.NotFound');
    const bad = await awsError(
      t.ec2.send(new CreateTagsCommand({ Resources: ['foo-1'], Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    expect(bad.code).toBe('InvalidID');
    const id = await instance();
    const reserved = await awsError(
      t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'aws:x', Value: 'b' }] })),
    );
    expect(reserved.code).toBe('InvalidParameterValue');
    const dry = await awsError(
      t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'a', Value: 'b' }], DryRun: true })),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect(await tagsOf(id)).toEqual([]);
  });
});
