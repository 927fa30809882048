import {
  DescribeInstancesCommand,
  ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const options = async (id: string) =>
  (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
    .MetadataOptions;

describe('instance metadata options', () => {
  it('launch with options, modify them, and filter on them', async () => {
    const run = await t.ec2.send(
      new RunInstancesCommand({
        ImageId: AL2023,
        MinCount: 1,
        MaxCount: 1,
        MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1 },
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    expect(run.Instances![0]!.MetadataOptions).toMatchObject({
      HttpTokens: 'optional',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
    });
    const out = await t.ec2.send(
      new ModifyInstanceMetadataOptionsCommand({
        InstanceId: id,
        HttpTokens: 'required',
        InstanceMetadataTags: 'enabled',
      }),
    );
    expect(out).toMatchObject({
      InstanceId: id,
      InstanceMetadataOptions: {
        State: 'pending',
        HttpTokens: 'required',
        HttpPutResponseHopLimit: 1,
        InstanceMetadataTags: 'enabled',
      },
    });
    expect(await options(id)).toMatchObject({
      State: 'applied',
      HttpTokens: 'required',
      InstanceMetadataTags: 'enabled',
    });
    const byFilter = await t.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'metadata-options.instance-metadata-tags', Values: ['enabled'] }],
      }),
    );
    expect(byFilter.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([id]);

    const hops = await awsError(
      t.ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })),
    );
    expect(hops.code).toBe('InvalidParameterValue');
    const dry = await awsError(
      t.ec2.send(
        new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'disabled', DryRun: true }),
      ),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect((await options(id))!.HttpEndpoint).toBe('enabled');
    const missing = await awsError(
      t.ec2.send(
        new ModifyInstanceMetadataOptionsCommand({
          InstanceId: 'i-0123456789abcdef0',
          HttpTokens: 'required',
        }),
      ),
    );
    expect(missing.code).toBe('InvalidInstanceID.NotFound');
  });
});
