import { createHash } from 'node:crypto';
import type {
  CancelSpotInstanceRequestsCommandInput,
  CancelSpotInstanceRequestsCommandOutput,
  DescribeSpotInstanceRequestsCommandInput,
  DescribeSpotInstanceRequestsCommandOutput,
  DescribeSpotPriceHistoryCommandInput,
  DescribeSpotPriceHistoryCommandOutput,
  InstanceInterruptionBehavior,
  LaunchSpecification,
  RequestSpotInstancesCommandInput,
  RequestSpotInstancesCommandOutput,
  RIProductDescription,
  RunInstancesCommandInput,
  SpotInstanceRequest,
  SpotInstanceState,
  SpotInstanceType,
  SpotPrice,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  checkDryRun,
  idErrors,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  spotMaxPriceTooLow,
} from './errors';
import { compileFilters } from './filters';
import { findInstanceRecord, onLaunch } from './instance-state';
import { allInstanceTypes, instanceTypeInfo } from './instance-types';
import { launchInstances } from './instances';
import { paginate } from './paging';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { setTags, tagsFromSpecifications } from './tags';
import { zoneId } from './zones-regions';

/**
 * Spot Instances: a request is fulfilled at once when its maximum price is at least the current spot
 * price (the instance is launched, InstanceLifecycle 'spot'), else it stays open (`price-too-low`).
 * Spot prices come from a deterministic model: about a third of an on-demand estimate, changing
 * every six hours per type and zone. There is no interruption.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-request-status.html
 */
export interface SpotRequestRecord extends ResourceRecord {
  type: SpotInstanceType;
  maxPrice: string;
  state: SpotInstanceState;
  status: { code: string; message: string; at: number };
  instanceId?: string | undefined;
  zone?: string | undefined;
  spec: LaunchSpecification;
  created: number;
  validUntil?: number | undefined;
  launchGroup?: string | undefined;
  interruption: InstanceInterruptionBehavior;
}

const PERIOD = 6 * 60 * 60_000;
const PRODUCTS: RIProductDescription[] = [
  'Linux/UNIX',
  'Linux/UNIX (Amazon VPC)',
  'Windows',
  'Windows (Amazon VPC)',
];

/** The spot price of a type in a zone at `t`, in USD per hour. */
export function spotPrice(type: string, zone: string, t: number, product = 'Linux/UNIX'): number {
  const info = instanceTypeInfo(type);
  const vcpus = info?.VCpuInfo?.DefaultVCpus ?? 1;
  const gib = (info?.MemoryInfo?.SizeInMiB ?? 1024) / 1024;
  const onDemand = vcpus * 0.024 + gib * 0.003 + (product.startsWith('Windows') ? vcpus * 0.046 : 0);
  const k = Math.floor(t / PERIOD);
  const jitter = createHash('sha1').update(`${type}/${zone}/${k}`).digest().readUInt16BE(0) / 65535;
  return Math.round(onDemand * (0.3 + 0.1 * jitter) * 1e6) / 1e6;
}

const price = (n: number) => n.toFixed(6);

export const spotRequests = defineFamily<SpotRequestRecord, SpotInstanceRequest>({
  prefix: 'sir',
  resourceType: 'spot-instances-request',
  errors: idErrors({
    notFound: 'InvalidSpotInstanceRequestID.NotFound',
    malformed: 'InvalidSpotInstanceRequestID.Malformed',
    noun: 'spot instance request',
    prefix: 'sir',
    notFoundMessage: (ids) => `The spot instance request ID '${ids.join(', ')}' does not exist`,
  }),
  shape: (r, view) => ({
    SpotInstanceRequestId: r.id,
    SpotPrice: r.maxPrice,
    Type: r.type,
    State: r.state,
    Status: { Code: r.status.code, Message: r.status.message, UpdateTime: new Date(r.status.at) },
    InstanceId: r.instanceId,
    LaunchedAvailabilityZone: r.instanceId ? r.zone : undefined,
    LaunchedAvailabilityZoneId: r.instanceId && r.zone ? zoneId(view.region.name, r.zone) : undefined,
    LaunchSpecification: r.spec,
    CreateTime: new Date(r.created),
    ValidUntil: r.validUntil !== undefined ? new Date(r.validUntil) : undefined,
    LaunchGroup: r.launchGroup,
    ProductDescription: 'Linux/UNIX',
    InstanceInterruptionBehavior: r.interruption,
    Tags: view.tags(r.id),
  }),
  filters: () => ({
    'create-time': (r) => new Date(r.created),
    'instance-id': (r) => r.instanceId,
    'launch-group': (r) => r.launchGroup,
    'launch.image-id': (r) => r.spec.ImageId,
    'launch.instance-type': (r) => r.spec.InstanceType,
    'launch.key-name': (r) => r.spec.KeyName,
    'launch.group-id': (r) => r.spec.SecurityGroups?.map((g) => g.GroupId),
    'launch.monitoring-enabled': (r) => r.spec.Monitoring?.Enabled ?? false,
    'launched-availability-zone': (r) => (r.instanceId ? r.zone : undefined),
    'product-description': () => 'Linux/UNIX',
    'spot-instance-request-id': (r) => r.id,
    'spot-price': (r) => r.maxPrice,
    state: (r) => r.state,
    'status-code': (r) => r.status.code,
    'status-message': (r) => r.status.message,
    type: (r) => r.type,
    'valid-until': (r) => (r.validUntil !== undefined ? new Date(r.validUntil) : undefined),
  }),
  // A fulfilled one-time request closes when its instance ends; an open one expires at ValidUntil.
  settle: (r, now, region) => {
    if (r.state === 'active' && r.instanceId) {
      const i = findInstanceRecord(region, r.instanceId, now);
      if (!i || i.state === 'terminated' || i.state === 'shutting-down') {
        r.state = r.type === 'one-time' ? 'closed' : 'open';
        r.status = {
          code: 'instance-terminated-by-user',
          message: 'Spot Instance terminated due to user-initiated termination.',
          at: now,
        };
      }
    }
    if (r.state === 'open' && r.validUntil !== undefined && now >= r.validUntil) {
      r.state = 'closed';
      r.status = { code: 'schedule-expired', message: 'Your Spot request has expired.', at: r.validUntil };
    }
    return true;
  },
});

function checkMaxPrice(p: string | undefined): number | undefined {
  if (p === undefined) return undefined;
  const n = Number(p);
  if (!Number.isFinite(n) || n <= 0)
    throw invalidParameterValue(`Value (${p}) for parameter spotPrice is invalid.`);
  return n;
}

// RunInstances with InstanceMarketOptions spot: one request per instance, fulfilled by it.
onLaunch((scope, launch) => {
  const market = launch.input.InstanceMarketOptions;
  if (!market?.MarketType) return undefined;
  if (market.MarketType !== 'spot')
    throw invalidParameterValue(`Value (${market.MarketType}) for parameter marketType is invalid.`);
  const o = market.SpotOptions ?? {};
  const now = scope.clock.now();
  const current = spotPrice(launch.instanceType, launch.zone, now);
  const max = checkMaxPrice(o.MaxPrice);
  if (max !== undefined && max < current) throw spotMaxPriceTooLow(o.MaxPrice!, price(current));
  const type = o.SpotInstanceType ?? 'one-time';
  if (type === 'persistent' && (o.InstanceInterruptionBehavior ?? 'terminate') === 'terminate')
    throw invalidParameterCombination(
      'A persistent Spot request needs InstanceInterruptionBehavior stop or hibernate.',
    );
  return (rec) => {
    const r = spotRequests.add(scope.region, {
      id: spotRequests.newId(),
      type,
      maxPrice: price(max ?? onDemandCeiling(launch.instanceType)),
      state: 'active',
      status: { code: 'fulfilled', message: 'Your spot request is fulfilled.', at: now },
      instanceId: rec.id,
      zone: rec.zone,
      spec: specOf(launch.input, rec.zone),
      created: now,
      validUntil: o.ValidUntil ? o.ValidUntil.getTime() : undefined,
      interruption: o.InstanceInterruptionBehavior ?? 'terminate',
    });
    rec.spotRequestId = r.id;
  };
});

/** With no MaxPrice, the limit is the on-demand price (estimated the same way as spot prices). */
const onDemandCeiling = (type: string) => spotPrice(type, '', 0) / 0.3;

function specOf(input: RunInstancesCommandInput, zone: string): LaunchSpecification {
  return {
    ImageId: input.ImageId,
    InstanceType: input.InstanceType,
    KeyName: input.KeyName,
    SubnetId: input.SubnetId,
    SecurityGroups: input.SecurityGroupIds?.map((GroupId) => ({ GroupId })),
    Monitoring: { Enabled: input.Monitoring?.Enabled ?? false },
    Placement: { AvailabilityZone: zone },
  };
}

/**
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestSpotInstances.html: InstanceCount
 * requests, each launching its instance now, or left open when the price is below the spot price.
 */
const requestSpotInstances: Handler<
  RequestSpotInstancesCommandInput,
  Out<RequestSpotInstancesCommandOutput>
> = (input, ctx) => {
  const spec = input.LaunchSpecification;
  if (!spec?.ImageId) throw missingParameter('LaunchSpecification.ImageId');
  const count = input.InstanceCount ?? 1;
  if (count < 1) throw invalidParameterValue(`Value (${count}) for parameter instanceCount is invalid.`);
  const type = input.Type ?? 'one-time';
  const max = checkMaxPrice(input.SpotPrice);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['spot-instances-request']);
  const now = ctx.clock.now();
  const zone = spec.Placement?.AvailabilityZone ?? ctx.region.zones[0]!;
  const instanceType = spec.InstanceType ?? 'm1.small';
  const run: RunInstancesCommandInput = {
    ImageId: spec.ImageId,
    InstanceType: spec.InstanceType,
    KeyName: spec.KeyName,
    SecurityGroupIds: spec.SecurityGroupIds,
    SecurityGroups: spec.SecurityGroups,
    SubnetId: spec.SubnetId,
    UserData: spec.UserData,
    BlockDeviceMappings: spec.BlockDeviceMappings,
    NetworkInterfaces: spec.NetworkInterfaces,
    IamInstanceProfile: spec.IamInstanceProfile,
    EbsOptimized: spec.EbsOptimized,
    Monitoring: spec.Monitoring,
    Placement: spec.Placement?.AvailabilityZone
      ? { AvailabilityZone: spec.Placement.AvailabilityZone }
      : undefined,
    MinCount: count,
    MaxCount: count,
    DryRun: input.DryRun,
    InstanceMarketOptions: {
      MarketType: 'spot',
      SpotOptions: {
        MaxPrice: input.SpotPrice,
        SpotInstanceType: type,
        ValidUntil: input.ValidUntil,
        InstanceInterruptionBehavior:
          input.InstanceInterruptionBehavior ?? (type === 'persistent' ? 'stop' : undefined),
      },
    },
  };
  // Below the spot price the requests wait, open; nothing is launched.
  if (max !== undefined && max < spotPrice(instanceType, zone, now)) {
    if (!instanceTypeInfo(instanceType))
      throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
    checkDryRun(input);
    const made = Array.from({ length: count }, () =>
      spotRequests.add(ctx.region, {
        id: spotRequests.newId(),
        type,
        maxPrice: price(max),
        state: 'open',
        status: {
          code: 'price-too-low',
          message:
            'Your Spot request price is lower than the minimum required Spot request fulfillment price.',
          at: now,
        },
        spec: specOf(run, zone),
        created: now,
        validUntil: input.ValidUntil?.getTime(),
        launchGroup: input.LaunchGroup,
        interruption: input.InstanceInterruptionBehavior ?? 'terminate',
      }),
    );
    for (const r of made) setTags(ctx.region, r.id, tags.get('spot-instances-request') ?? []);
    return { SpotInstanceRequests: made.map((r) => spotRequests.shape(ctx, r)) };
  }
  const reservation = launchInstances(run, ctx) as Awaited<ReturnType<typeof launchInstances>>;
  const requests = (reservation.Instances ?? []).map((i) =>
    spotRequests.get(ctx, i.SpotInstanceRequestId, 'SpotInstanceRequestId'),
  );
  for (const r of requests) {
    r.launchGroup = input.LaunchGroup;
    setTags(ctx.region, r.id, tags.get('spot-instances-request') ?? []);
  }
  return { SpotInstanceRequests: requests.map((r) => spotRequests.shape(ctx, r)) };
};

/** Cancelling leaves a fulfilled request's instance running (request-canceled-and-instance-running). */
const cancelSpotInstanceRequests: Handler<
  CancelSpotInstanceRequestsCommandInput,
  Out<CancelSpotInstanceRequestsCommandOutput>
> = (input, ctx) => {
  if (!input.SpotInstanceRequestIds?.length) throw missingParameter('SpotInstanceRequestId');
  const recs = spotRequests.getMany(ctx, input.SpotInstanceRequestIds);
  checkDryRun(input);
  const now = ctx.clock.now();
  return {
    CancelledSpotInstanceRequests: recs.map((r) => {
      if (r.state === 'active')
        r.status = {
          code: 'request-canceled-and-instance-running',
          message: 'Spot request canceled, the instance is still running.',
          at: now,
        };
      else if (r.state === 'open')
        r.status = {
          code: 'canceled-before-fulfillment',
          message: 'The request was canceled before it was fulfilled.',
          at: now,
        };
      if (r.state === 'active' || r.state === 'open') r.state = 'cancelled';
      return {
        SpotInstanceRequestId: r.id,
        State: r.state === 'failed' || r.state === 'disabled' ? 'closed' : r.state,
      };
    }),
  };
};

/**
 * Without StartTime the current price of each type, zone and product; with a range, every change in
 * it and the price in effect at its start. Newest first, as AWS answers.
 */
const describeSpotPriceHistory: Handler<
  DescribeSpotPriceHistoryCommandInput,
  Out<DescribeSpotPriceHistoryCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  const end = Math.min(input.EndTime?.getTime() ?? now, now);
  const start = input.StartTime?.getTime();
  if (start !== undefined && start > end)
    throw invalidParameterValue('The start time must be before the end time.');
  for (const t of input.InstanceTypes ?? [])
    if (!instanceTypeInfo(t)) throw invalidParameterValue(`Invalid instance type: ${t}`);
  const zones = input.AvailabilityZone ? [input.AvailabilityZone] : ctx.region.zones;
  if (input.AvailabilityZone && !ctx.region.zones.includes(input.AvailabilityZone))
    throw invalidParameterValue(`Invalid availability zone: [${input.AvailabilityZone}]`);
  const types = input.InstanceTypes?.length
    ? input.InstanceTypes
    : allInstanceTypes().map((t) => t.InstanceType!);
  const products = input.ProductDescriptions?.length ? input.ProductDescriptions : PRODUCTS;
  const lastChange = Math.floor(end / PERIOD) * PERIOD;
  const firstChange = start === undefined ? lastChange : Math.floor(start / PERIOD) * PERIOD;
  const rows: SpotPrice[] = [];
  for (let t = lastChange; t >= firstChange; t -= PERIOD)
    for (const type of types)
      for (const zone of zones)
        for (const product of products)
          rows.push({
            AvailabilityZone: zone,
            AvailabilityZoneId: zoneId(ctx.region.name, zone),
            InstanceType: type,
            ProductDescription: product as RIProductDescription,
            SpotPrice: price(spotPrice(type, zone, t, product)),
            Timestamp: new Date(t),
          });
  const keep = compileFilters<SpotPrice>(input.Filters, {
    'availability-zone': (p) => p.AvailabilityZone,
    'instance-type': (p) => p.InstanceType,
    'product-description': (p) => p.ProductDescription,
    'spot-price': (p) => p.SpotPrice,
    timestamp: (p) => p.Timestamp,
  });
  const page = paginate(
    rows.filter(keep).map((p, i) => ({ seq: i + 1, p })),
    input,
    { min: 5, max: 1000 },
  );
  return { SpotPriceHistory: page.items.map((x) => x.p), NextToken: page.nextToken ?? '' };
};

/** The requests of a fleet's spot instances (fleets.ts). */
export const spotRequestOf = (scope: Scope, instanceId: string) =>
  spotRequests.where(scope, (r) => r.instanceId === instanceId).next().value as SpotRequestRecord | undefined;

export const spotInstanceHandlers: HandlerMap = {
  RequestSpotInstances: requestSpotInstances,
  DescribeSpotInstanceRequests: ((input, ctx) => {
    const page = spotRequests.describe(ctx, input, input.SpotInstanceRequestIds);
    return { SpotInstanceRequests: page.items, NextToken: page.nextToken };
  }) satisfies Handler<
    DescribeSpotInstanceRequestsCommandInput,
    Out<DescribeSpotInstanceRequestsCommandOutput>
  >,
  CancelSpotInstanceRequests: cancelSpotInstanceRequests,
  DescribeSpotPriceHistory: describeSpotPriceHistory,
};
