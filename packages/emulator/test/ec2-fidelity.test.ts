import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

/** Regressions of the fidelity list of issue 15: each asserts AWS's code and that state is unchanged. */
const t = useEc2();

const tags = (n: number, prefix = 'k') =>
  Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: 'v' }));

describe('a failed call changes nothing', () => {
  it('CreateTags past 50 tags keeps none of them, on any of the resources', async () => {
    const run = await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 2, MaxCount: 2 }));
    const [a, b] = run.Instances!.map((i) => i.InstanceId!);
    await t.ec2.send(new CreateTagsCommand({ Resources: [b!], Tags: tags(45, 'old') }));
    // 10 new keys fit on a (0 tags) but not on b (45): the whole call fails, a is untouched too.
    const err = await awsError(t.ec2.send(new CreateTagsCommand({ Resources: [a!, b!], Tags: tags(10) })));
    expect(err.code).toBe('TagLimitExceeded');
    const left = await t.ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [a!, b!] }] }),
    );
    expect(left.Tags!.filter((x) => x.ResourceId === a)).toEqual([]);
    expect(left.Tags!.filter((x) => x.ResourceId === b)).toHaveLength(45);
    // Overwriting existing keys does not count twice: 45 + 5 new = 50 is allowed.
    await t.ec2.send(new CreateTagsCommand({ Resources: [b!], Tags: [...tags(45, 'old'), ...tags(5)] }));
    const after = await t.ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [b!] }] }),
    );
    expect(after.Tags).toHaveLength(50);
  });

  it('RunInstances with 51 tags launches nothing', async () => {
    const before = await t.ec2.send(new DescribeInstancesCommand({}));
    const volumesBefore = (await t.ec2.send(new DescribeVolumesCommand({}))).Volumes!.length;
    const err = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: 'instance', Tags: tags(51) }],
        }),
      ),
    );
    expect(err.code).toBe('TagLimitExceeded');
    const after = await t.ec2.send(new DescribeInstancesCommand({}));
    expect(after.Reservations).toEqual(before.Reservations);
    expect((await t.ec2.send(new DescribeVolumesCommand({}))).Volumes).toHaveLength(volumesBefore);
  });
});
