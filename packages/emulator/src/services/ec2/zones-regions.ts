import type {
  AvailabilityZone,
  DescribeAvailabilityZonesCommandInput,
  DescribeAvailabilityZonesCommandOutput,
  DescribeRegionsCommandInput,
  DescribeRegionsCommandOutput,
  Region as RegionInfo,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { invalidRegion, invalidZone } from './errors';
import { compileFilters } from './filters';

/** Availability zones and regions. */

/** `use1-az1` for us-east-1a: the region's initials and the zone's position. */
export function zoneId(region: string, zone: string): string {
  const [area = '', dir = '', num = ''] = region.split('-');
  const d = dir
    .replace(/north/g, 'n')
    .replace(/south/g, 's')
    .replace(/east/g, 'e')
    .replace(/west/g, 'w')
    .replace(/central/g, 'c');
  return `${area}${d}${num}-az${zone.charCodeAt(zone.length - 1) - 96}`;
}

export function checkZone(region: Region, zone: string): void {
  if (!region.zones.includes(zone)) throw invalidZone(zone);
}

const describeAvailabilityZones: Handler<
  DescribeAvailabilityZonesCommandInput,
  Out<DescribeAvailabilityZonesCommandOutput>
> = (input, ctx) => {
  const r = ctx.region.name;
  const zones: AvailabilityZone[] = ctx.region.zones.map((z) => ({
    ZoneName: z,
    ZoneId: zoneId(r, z),
    RegionName: r,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    GroupName: r,
    NetworkBorderGroup: r,
    ZoneType: 'availability-zone',
    GroupLongName: r,
  }));
  for (const n of input.ZoneNames ?? []) if (!ctx.region.zones.includes(n)) throw invalidZone(n);
  const keep = compileFilters<AvailabilityZone>(input.Filters, {
    'zone-name': (z) => z.ZoneName,
    'zone-id': (z) => z.ZoneId,
    'region-name': (z) => z.RegionName,
    state: (z) => z.State,
    'opt-in-status': (z) => z.OptInStatus,
    'group-name': (z) => z.GroupName,
    'network-border-group': (z) => z.NetworkBorderGroup,
    'zone-type': (z) => z.ZoneType,
  });
  const AvailabilityZones = zones.filter(
    (z) =>
      keep(z) &&
      (!input.ZoneNames?.length || input.ZoneNames.includes(z.ZoneName!)) &&
      (!input.ZoneIds?.length || input.ZoneIds.includes(z.ZoneId!)),
  );
  return { AvailabilityZones };
};

/** The commercial regions that need no opt-in. */
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

/** Whether EC2 has a region of this name (cross-region copies name their source region). */
export const isKnownRegion = (name: string) => REGIONS.includes(name);

const describeRegions: Handler<DescribeRegionsCommandInput, Out<DescribeRegionsCommandOutput>> = (input) => {
  for (const n of input.RegionNames ?? []) if (!REGIONS.includes(n)) throw invalidRegion(n);
  const all: RegionInfo[] = REGIONS.map((RegionName) => ({
    RegionName,
    Endpoint: `ec2.${RegionName}.amazonaws.com`,
    OptInStatus: 'opt-in-not-required',
  }));
  const keep = compileFilters<RegionInfo>(input.Filters, {
    'region-name': (r) => r.RegionName,
    endpoint: (r) => r.Endpoint,
    'opt-in-status': (r) => r.OptInStatus,
  });
  return {
    Regions: all.filter(
      (r) => keep(r) && (!input.RegionNames?.length || input.RegionNames.includes(r.RegionName!)),
    ),
  };
};

export const zoneRegionHandlers: HandlerMap = {
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeRegions: describeRegions,
};
