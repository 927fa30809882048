import type {
  DescribeInstanceTypeOfferingsCommandInput,
  DescribeInstanceTypeOfferingsCommandOutput,
  DescribeInstanceTypesCommandInput,
  DescribeInstanceTypesCommandOutput,
  InstanceTypeInfo,
  InstanceTypeOffering,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { invalidInstanceType, invalidParameterValue } from './errors';
import { compileFilters, type FilterTable } from './filters';
import { INSTANCE_FAMILIES } from './instance-type-data';
import { paginate } from './paging';
import { zoneId } from './zones-regions';

// Sequence numbers start at 1: paging skips everything at or before its token (0 when none).
const seqd = (info: InstanceTypeInfo, index: number) => ({ seq: index + 1, info });

/** The table of instance-type-data.ts in the SDK's InstanceTypeInfo shape. */
const TYPES: ReadonlyArray<{ seq: number; info: InstanceTypeInfo }> = INSTANCE_FAMILIES.flatMap((f) =>
  f.sizes.map(([size, vcpus, mib, enis, ips]) => {
    const name = `${f.family}.${size}`;
    const info: InstanceTypeInfo = {
      InstanceType: name as InstanceTypeInfo['InstanceType'],
      CurrentGeneration: f.currentGeneration,
      FreeTierEligible: name === 't2.micro' || name === 't3.micro',
      SupportedUsageClasses: ['on-demand', 'spot'],
      SupportedRootDeviceTypes: ['ebs'],
      SupportedVirtualizationTypes: ['hvm'],
      BareMetal: false,
      Hypervisor: f.hypervisor,
      ProcessorInfo: {
        SupportedArchitectures: [f.arch],
        SustainedClockSpeedInGhz: f.ghz,
        Manufacturer: f.manufacturer,
      },
      VCpuInfo: {
        DefaultVCpus: vcpus,
        DefaultCores: Math.max(1, vcpus / f.threadsPerCore),
        DefaultThreadsPerCore: f.threadsPerCore,
      },
      MemoryInfo: { SizeInMiB: mib },
      InstanceStorageSupported: false,
      EbsInfo: {
        EbsOptimizedSupport: f.hypervisor === 'xen' ? 'unsupported' : 'default',
        EncryptionSupport: 'supported',
        NvmeSupport: f.hypervisor === 'xen' ? 'unsupported' : 'required',
      },
      NetworkInfo: {
        MaximumNetworkInterfaces: enis,
        MaximumNetworkCards: 1,
        DefaultNetworkCardIndex: 0,
        NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: enis }],
        Ipv4AddressesPerInterface: ips,
        Ipv6AddressesPerInterface: ips,
        Ipv6Supported: true,
        EnaSupport: f.hypervisor === 'xen' ? 'unsupported' : 'required',
      },
      PlacementGroupInfo: { SupportedStrategies: ['partition', 'spread'] },
      HibernationSupported: f.hypervisor === 'nitro',
      BurstablePerformanceSupported: f.burstable,
      DedicatedHostsSupported: !f.burstable,
      AutoRecoverySupported: true,
      SupportedBootModes: f.arch === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
    };
    return info;
  }),
).map(seqd);

const byName = new Map(TYPES.map((t) => [t.info.InstanceType as string, t.info]));

/** Every type the emulator offers, in table order (DescribeInstanceTypeOfferings lists them). */
export const allInstanceTypes = (): readonly InstanceTypeInfo[] => TYPES.map((t) => t.info);

/** The type's description, or undefined when the emulator does not offer it. */
export const instanceTypeInfo = (name: string) => byName.get(name);

const filters: FilterTable<InstanceTypeInfo> = {
  'instance-type': (t) => t.InstanceType,
  'current-generation': (t) => t.CurrentGeneration,
  'free-tier-eligible': (t) => t.FreeTierEligible,
  'burstable-performance-supported': (t) => t.BurstablePerformanceSupported,
  'bare-metal': (t) => t.BareMetal,
  hypervisor: (t) => t.Hypervisor,
  'vcpu-info.default-vcpus': (t) => t.VCpuInfo?.DefaultVCpus,
  'vcpu-info.default-cores': (t) => t.VCpuInfo?.DefaultCores,
  'memory-info.size-in-mib': (t) => t.MemoryInfo?.SizeInMiB,
  'processor-info.supported-architecture': (t) => t.ProcessorInfo?.SupportedArchitectures,
  'processor-info.manufacturer': (t) => t.ProcessorInfo?.Manufacturer,
  'supported-usage-class': (t) => t.SupportedUsageClasses,
  'supported-root-device-type': (t) => t.SupportedRootDeviceTypes,
  'supported-virtualization-type': (t) => t.SupportedVirtualizationTypes,
  'network-info.ena-support': (t) => t.NetworkInfo?.EnaSupport,
  'network-info.maximum-network-interfaces': (t) => t.NetworkInfo?.MaximumNetworkInterfaces,
  'network-info.ipv4-addresses-per-interface': (t) => t.NetworkInfo?.Ipv4AddressesPerInterface,
  'network-info.ipv6-addresses-per-interface': (t) => t.NetworkInfo?.Ipv6AddressesPerInterface,
  'network-info.ipv6-supported': (t) => t.NetworkInfo?.Ipv6Supported,
  'processor-info.sustained-clock-speed-in-ghz': (t) => t.ProcessorInfo?.SustainedClockSpeedInGhz,
  'vcpu-info.default-threads-per-core': (t) => t.VCpuInfo?.DefaultThreadsPerCore,
  'hibernation-supported': (t) => t.HibernationSupported,
};

const describeInstanceTypes: Handler<
  DescribeInstanceTypesCommandInput,
  Out<DescribeInstanceTypesCommandOutput>
> = (input) => {
  const wanted = input.InstanceTypes;
  if (wanted?.length) {
    const unknown = wanted.filter((t) => !byName.has(t));
    if (unknown.length) throw invalidInstanceType(unknown);
  }
  const keep = compileFilters(input.Filters, filters);
  const matching = TYPES.filter(
    (t) => (!wanted?.length || wanted.includes(t.info.InstanceType!)) && keep(t.info),
  );
  const page = paginate(matching, input, { min: 5, max: 100 });
  return { InstanceTypes: page.items.map((t) => t.info), NextToken: page.nextToken };
};

/**
 * Every type is offered in every zone of every region here (AWS varies by zone). LocationType is
 * region (default), availability-zone or availability-zone-id.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html
 */
const describeInstanceTypeOfferings: Handler<
  DescribeInstanceTypeOfferingsCommandInput,
  Out<DescribeInstanceTypeOfferingsCommandOutput>
> = (input, ctx) => {
  const type = input.LocationType ?? 'region';
  const locations =
    type === 'region'
      ? [ctx.region.name]
      : type === 'availability-zone'
        ? ctx.region.zones
        : type === 'availability-zone-id'
          ? ctx.region.zones.map((z) => zoneId(ctx.region.name, z))
          : undefined;
  if (!locations) throw invalidParameterValue(`Value (${type}) for parameter locationType is invalid.`);
  const keep = compileFilters<InstanceTypeOffering>(input.Filters, {
    'instance-type': (o) => o.InstanceType,
    location: (o) => o.Location,
  });
  let seq = 0;
  const rows = locations.flatMap((Location) =>
    TYPES.map((t) => ({
      seq: ++seq,
      offering: { InstanceType: t.info.InstanceType, LocationType: type, Location } as InstanceTypeOffering,
    })),
  );
  const page = paginate(
    rows.filter((r) => keep(r.offering)),
    input,
    { min: 5, max: 1000 },
  );
  return { InstanceTypeOfferings: page.items.map((r) => r.offering), NextToken: page.nextToken };
};

export const instanceTypeHandlers: HandlerMap = {
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
};
