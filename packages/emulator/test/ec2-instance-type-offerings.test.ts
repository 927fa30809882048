import { DescribeInstanceTypeOfferingsCommand, paginateDescribeInstanceTypes } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('DescribeInstanceTypeOfferings', () => {
  it('offers every type of the instance-type table in the region, each zone and each zone id', async () => {
    // Every page of the table: it holds more types than DescribeInstanceTypes' page maximum of 100.
    const types: (string | undefined)[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: t.ec2 }, { MaxResults: 100 }))
      types.push(...page.InstanceTypes!.map((x) => x.InstanceType));
    expect(types.length).toBeGreaterThan(100);
    const region = await t.ec2.send(new DescribeInstanceTypeOfferingsCommand({}));
    expect(
      region.InstanceTypeOfferings!.every((o) => o.LocationType === 'region' && o.Location === 'us-east-1'),
    ).toBe(true);
    expect(new Set(region.InstanceTypeOfferings!.map((o) => o.InstanceType))).toEqual(new Set(types));

    const t3 = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }],
      }),
    );
    expect(t3.InstanceTypeOfferings!.map((o) => o.Location)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
    ]);
    const ids = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone-id',
        Filters: [
          { Name: 'instance-type', Values: ['m5.*'] },
          { Name: 'location', Values: ['use1-az2'] },
        ],
      }),
    );
    expect(ids.InstanceTypeOfferings!.length).toBeGreaterThan(1);
    expect(
      ids.InstanceTypeOfferings!.every((o) => o.Location === 'use1-az2' && o.InstanceType!.startsWith('m5.')),
    ).toBe(true);
  });

  it('pages, and refuses bad filters and MaxResults', async () => {
    const first = await t.ec2.send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 5 }));
    expect(first.InstanceTypeOfferings).toHaveLength(5);
    const second = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.InstanceTypeOfferings![0]!.InstanceType).not.toBe(
      first.InstanceTypeOfferings![0]!.InstanceType,
    );
    expect(
      (await awsError(t.ec2.send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 2 })))).code,
    ).toBe('InvalidParameterValue');
    const f = await awsError(
      t.ec2.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'vcpus', Values: ['2'] }] })),
    );
    expect(f.code).toBe('InvalidParameterValue');
  });
});
