import type {
  DescribeInstanceTypeOfferingsCommandInput,
  DescribeInstanceTypeOfferingsCommandOutput,
  InstanceTypeOffering,
  LocationType,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { invalidParameterValue } from './errors';
import { compileFilters } from './filters';
import { allInstanceTypes } from './instance-types';
import { paginate } from './paging';
import { zoneId } from './zones-regions';

/**
 * Where each instance type is offered: the region, each zone, or each zone id. The emulator offers
 * every type of its table everywhere
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html).
 */
const describeInstanceTypeOfferings: Handler<
  DescribeInstanceTypeOfferingsCommandInput,
  Out<DescribeInstanceTypeOfferingsCommandOutput>
> = (input, ctx) => {
  const type: LocationType = input.LocationType ?? 'region';
  const r = ctx.region;
  const locations =
    type === 'region'
      ? [r.name]
      : type === 'availability-zone'
        ? r.zones
        : type === 'availability-zone-id'
          ? r.zones.map((z) => zoneId(r.name, z))
          : undefined;
  if (!locations) throw invalidParameterValue(`Value (${type}) for parameter locationType is invalid.`);
  const keep = compileFilters<InstanceTypeOffering>(input.Filters, {
    'instance-type': (o) => o.InstanceType,
    location: (o) => o.Location,
  });
  let seq = 0;
  const rows = allInstanceTypes().flatMap((t) =>
    locations.map((Location) => ({
      seq: ++seq,
      offering: { InstanceType: t.InstanceType, LocationType: type, Location } as InstanceTypeOffering,
    })),
  );
  const page = paginate(
    rows.filter((row) => keep(row.offering)),
    input,
    { min: 5, max: 1000 },
  );
  return { InstanceTypeOfferings: page.items.map((row) => row.offering), NextToken: page.nextToken };
};

export const instanceTypeOfferingHandlers: HandlerMap = {
  DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
};
