import {
  CancelSpotInstanceRequestsCommand,
  DescribeInstancesCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeSpotPriceHistoryCommand,
  RequestSpotInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });

const currentPrice = async (type: 'm5.large', zone = 'us-east-1a') =>
  Number(
    (
      await t.ec2.send(
        new DescribeSpotPriceHistoryCommand({
          InstanceTypes: [type],
          AvailabilityZone: zone,
          ProductDescriptions: ['Linux/UNIX'],
        }),
      )
    ).SpotPriceHistory![0]!.SpotPrice,
  );

const request = async (id: string) =>
  (await t.ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] })))
    .SpotInstanceRequests![0]!;

describe('spot instances', () => {
  it('price history: the current price without a range, every six-hour change with one, newest first', async () => {
    const now = await t.ec2.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ['m5.large'],
        ProductDescriptions: ['Linux/UNIX'],
      }),
    );
    expect(now.SpotPriceHistory!.map((p) => p.AvailabilityZone)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
    ]);
    const p = Number(now.SpotPriceHistory![0]!.SpotPrice);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.1);
    const day = await t.ec2.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ['m5.large'],
        AvailabilityZone: 'us-east-1a',
        ProductDescriptions: ['Linux/UNIX'],
        StartTime: new Date(Date.UTC(2025, 11, 31, 1)),
        EndTime: new Date(Date.UTC(2026, 0, 1)),
      }),
    );
    const stamps = day.SpotPriceHistory!.map((x) => x.Timestamp!.toISOString());
    expect(stamps).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2025-12-31T18:00:00.000Z',
      '2025-12-31T12:00:00.000Z',
      '2025-12-31T06:00:00.000Z',
      '2025-12-31T00:00:00.000Z',
    ]);
    const windows = await t.ec2.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ['m5.large'],
        AvailabilityZone: 'us-east-1a',
        ProductDescriptions: ['Windows'],
      }),
    );
    expect(Number(windows.SpotPriceHistory![0]!.SpotPrice)).toBeGreaterThan(p);
    const bad = await awsError(
      t.ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['x9.huge' as 'm5.large'] })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
  });

  it('RequestSpotInstances launches at or above the spot price; the request closes with its instance', async () => {
    const price = await currentPrice('m5.large');
    const out = await t.ec2.send(
      new RequestSpotInstancesCommand({
        InstanceCount: 2,
        SpotPrice: String(price * 2),
        LaunchSpecification: {
          ImageId: AL2023,
          InstanceType: 'm5.large',
          Placement: { AvailabilityZone: 'us-east-1a' },
        },
        TagSpecifications: [
          { ResourceType: 'spot-instances-request', Tags: [{ Key: 'job', Value: 'batch' }] },
        ],
      }),
    );
    expect(out.SpotInstanceRequests).toHaveLength(2);
    const r = out.SpotInstanceRequests![0]!;
    expect(r).toMatchObject({
      SpotInstanceRequestId: expect.stringMatching(/^sir-[0-9a-f]{17}$/),
      State: 'active',
      Status: { Code: 'fulfilled' },
      Type: 'one-time',
      LaunchedAvailabilityZone: 'us-east-1a',
      Tags: [{ Key: 'job', Value: 'batch' }],
    });
    const i = (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [r.InstanceId!] })))
      .Reservations![0]!.Instances![0]!;
    expect(i).toMatchObject({ InstanceLifecycle: 'spot', SpotInstanceRequestId: r.SpotInstanceRequestId });
    const spot = await t.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-lifecycle', Values: ['spot'] }] }),
    );
    expect(spot.Reservations!.flatMap((x) => x.Instances!)).toHaveLength(2);

    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [r.InstanceId!] }));
    t.emu.clock.advance(1_000);
    expect(await request(r.SpotInstanceRequestId!)).toMatchObject({
      State: 'closed',
      Status: { Code: 'instance-terminated-by-user' },
    });
    const byState = await t.ec2.send(
      new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'state', Values: ['active'] }] }),
    );
    expect(byState.SpotInstanceRequests!.map((x) => x.SpotInstanceRequestId)).toEqual([
      out.SpotInstanceRequests![1]!.SpotInstanceRequestId,
    ]);
  });

  it('below the spot price a request stays open and launches nothing; cancelling closes it', async () => {
    const before = (await t.ec2.send(new DescribeInstancesCommand({}))).Reservations!.length;
    const out = await t.ec2.send(
      new RequestSpotInstancesCommand({
        SpotPrice: '0.000001',
        LaunchSpecification: { ImageId: AL2023, InstanceType: 'm5.large' },
      }),
    );
    const r = out.SpotInstanceRequests![0]!;
    expect(r).toMatchObject({ State: 'open', Status: { Code: 'price-too-low' } });
    expect(r.InstanceId).toBeUndefined();
    expect((await t.ec2.send(new DescribeInstancesCommand({}))).Reservations).toHaveLength(before);
    const cancelled = await t.ec2.send(
      new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [r.SpotInstanceRequestId!] }),
    );
    expect(cancelled.CancelledSpotInstanceRequests).toEqual([
      { SpotInstanceRequestId: r.SpotInstanceRequestId, State: 'cancelled' },
    ]);
    expect((await request(r.SpotInstanceRequestId!)).Status!.Code).toBe('canceled-before-fulfillment');
    const missing = await awsError(
      t.ec2.send(
        new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['sir-0123456789abcdef0'] }),
      ),
    );
    expect(missing.code).toBe('InvalidSpotInstanceRequestID.NotFound');
  });

  it('RunInstances with spot market options makes a fulfilled request; too low a price is an error', async () => {
    const run = await t.ec2.send(
      new RunInstancesCommand({
        ImageId: AL2023,
        InstanceType: 'm5.large',
        MinCount: 1,
        MaxCount: 1,
        InstanceMarketOptions: { MarketType: 'spot' },
      }),
    );
    const id = run.Instances![0]!.SpotInstanceRequestId!;
    expect(await request(id)).toMatchObject({ State: 'active', InstanceId: run.Instances![0]!.InstanceId });
    const low = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          InstanceType: 'm5.large',
          MinCount: 1,
          MaxCount: 1,
          InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.0001' } },
        }),
      ),
    );
    expect(low.code).toBe('SpotMaxPriceTooLow');
    // A cancelled active request leaves its instance running.
    await t.ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }));
    expect(await request(id)).toMatchObject({
      State: 'cancelled',
      Status: { Code: 'request-canceled-and-instance-running' },
    });
    const i = (
      await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [run.Instances![0]!.InstanceId!] }))
    ).Reservations![0]!.Instances![0]!;
    expect(i.State!.Name).not.toBe('shutting-down');
  });
});
