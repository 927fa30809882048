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

/** A raw EC2 Query POST, as a hand-written client or a typo in a script would send it. */
async function post(body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.emu.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const code = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

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

describe('the wire', () => {
  it('answers UnknownParameter for a parameter the action does not have, top-level or nested', async () => {
    await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));
    const typo = await post('Action=DescribeInstances&Version=2016-11-15&InstanceIds.1=i-0123456789abcdef0');
    expect(typo.status).toBe(400);
    expect(code(typo.text)).toBe('UnknownParameter');
    expect(typo.text).toContain('The parameter InstanceIds is not recognized');
    const nested = await post(
      'Action=DescribeInstances&Version=2016-11-15&Filter.1.Nmae=instance-type&Filter.1.Value.1=t3.micro',
    );
    expect(code(nested.text)).toBe('UnknownParameter');
    expect(nested.text).toContain('The parameter Filter.1.Nmae is not recognized');
    // The well-spelled request answers.
    const ok = await post('Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0');
    expect(code(ok.text)).toBe('InvalidInstanceID.NotFound');
  });

  it('serves older EC2 API versions in their namespace; an unknown version is NoSuchVersion', async () => {
    for (const version of ['2015-10-01', '2014-10-01', '2012-06-01', '2016-09-15']) {
      const res = await post(`Action=DescribeRegions&Version=${version}&RegionName.1=eu-west-1`);
      expect(res.status, version).toBe(200);
      expect(res.text).toContain(`xmlns="http://ec2.amazonaws.com/doc/${version}/"`);
      expect(res.text).toContain('<regionName>eu-west-1</regionName>');
    }
    const unknown = await post('Action=DescribeRegions&Version=2015-10-02');
    expect(code(unknown.text)).toBe('NoSuchVersion');
  });
});
