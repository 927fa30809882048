import type {
  DescribeInstanceTypesCommandInput,
  DescribeInstanceTypesCommandOutput,
  InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { invalidInstanceType } from './errors';
import { compileFilters, type FilterTable } from './filters';
import { paginate } from './paging';

/**
 * The common instance families with their published vCPU and memory
 * (https://aws.amazon.com/ec2/instance-types/). Sizes are [name, vCPUs, GiB].
 */
const FAMILIES: ReadonlyArray<{
  family: string;
  burstable: boolean;
  processor: string;
  ghz: number;
  sizes: ReadonlyArray<readonly [string, number, number]>;
}> = [
  {
    // The previous generation m1.small is still RunInstances' default InstanceType.
    family: 'm1',
    burstable: false,
    processor: 'Intel Xeon Family',
    ghz: 2.0,
    sizes: [
      ['small', 1, 1.7],
      ['medium', 1, 3.75],
      ['large', 2, 7.5],
    ],
  },
  {
    family: 't2',
    burstable: true,
    processor: 'Intel Xeon Family',
    ghz: 2.4,
    sizes: [
      ['nano', 1, 0.5],
      ['micro', 1, 1],
      ['small', 1, 2],
      ['medium', 2, 4],
      ['large', 2, 8],
      ['xlarge', 4, 16],
      ['2xlarge', 8, 32],
    ],
  },
  {
    family: 't3',
    burstable: true,
    processor: 'Intel Skylake P-8175',
    ghz: 2.5,
    sizes: [
      ['nano', 2, 0.5],
      ['micro', 2, 1],
      ['small', 2, 2],
      ['medium', 2, 4],
      ['large', 2, 8],
      ['xlarge', 4, 16],
      ['2xlarge', 8, 32],
    ],
  },
  {
    family: 't3a',
    burstable: true,
    processor: 'AMD EPYC 7571',
    ghz: 2.2,
    sizes: [
      ['nano', 2, 0.5],
      ['micro', 2, 1],
      ['small', 2, 2],
      ['medium', 2, 4],
      ['large', 2, 8],
      ['xlarge', 4, 16],
      ['2xlarge', 8, 32],
    ],
  },
  {
    family: 'm5',
    burstable: false,
    processor: 'Intel Xeon Platinum 8175',
    ghz: 3.1,
    sizes: [
      ['large', 2, 8],
      ['xlarge', 4, 16],
      ['2xlarge', 8, 32],
      ['4xlarge', 16, 64],
      ['8xlarge', 32, 128],
      ['12xlarge', 48, 192],
      ['16xlarge', 64, 256],
      ['24xlarge', 96, 384],
    ],
  },
  {
    family: 'm6i',
    burstable: false,
    processor: 'Intel Xeon 8375C',
    ghz: 3.5,
    sizes: [
      ['large', 2, 8],
      ['xlarge', 4, 16],
      ['2xlarge', 8, 32],
      ['4xlarge', 16, 64],
      ['8xlarge', 32, 128],
      ['12xlarge', 48, 192],
      ['16xlarge', 64, 256],
      ['32xlarge', 128, 512],
    ],
  },
  {
    family: 'c5',
    burstable: false,
    processor: 'Intel Xeon Platinum 8124M',
    ghz: 3.4,
    sizes: [
      ['large', 2, 4],
      ['xlarge', 4, 8],
      ['2xlarge', 8, 16],
      ['4xlarge', 16, 32],
      ['9xlarge', 36, 72],
      ['12xlarge', 48, 96],
      ['18xlarge', 72, 144],
      ['24xlarge', 96, 192],
    ],
  },
  {
    family: 'r5',
    burstable: false,
    processor: 'Intel Xeon Platinum 8175',
    ghz: 3.1,
    sizes: [
      ['large', 2, 16],
      ['xlarge', 4, 32],
      ['2xlarge', 8, 64],
      ['4xlarge', 16, 128],
      ['8xlarge', 32, 256],
      ['12xlarge', 48, 384],
      ['16xlarge', 64, 512],
      ['24xlarge', 96, 768],
    ],
  },
];

// Sequence numbers start at 1: paging skips everything at or before its token (0 when none).
const seqd = (info: InstanceTypeInfo, index: number) => ({ seq: index + 1, info });

const TYPES: ReadonlyArray<{ seq: number; info: InstanceTypeInfo }> = FAMILIES.flatMap((f) =>
  f.sizes.map(([size, vcpus, gib]) => {
    const threads = f.family === 't2' || f.family === 'm1' ? 1 : 2;
    const cores = Math.max(1, vcpus / threads);
    const info: InstanceTypeInfo = {
      InstanceType: `${f.family}.${size}` as InstanceTypeInfo['InstanceType'],
      CurrentGeneration: f.family !== 'm1',
      FreeTierEligible: `${f.family}.${size}` === 't2.micro' || `${f.family}.${size}` === 't3.micro',
      SupportedUsageClasses: ['on-demand', 'spot'],
      SupportedRootDeviceTypes: ['ebs'],
      SupportedVirtualizationTypes: ['hvm'],
      BareMetal: false,
      Hypervisor: f.family === 't2' ? 'xen' : 'nitro',
      ProcessorInfo: {
        SupportedArchitectures: ['x86_64'],
        SustainedClockSpeedInGhz: f.ghz,
        Manufacturer: f.processor.startsWith('AMD') ? 'AMD' : 'Intel',
      },
      VCpuInfo: { DefaultVCpus: vcpus, DefaultCores: cores, DefaultThreadsPerCore: threads },
      MemoryInfo: { SizeInMiB: Math.round(gib * 1024) },
      InstanceStorageSupported: false,
      EbsInfo: {
        EbsOptimizedSupport: f.family === 't2' ? 'unsupported' : 'default',
        EncryptionSupport: 'supported',
        NvmeSupport: f.family === 't2' ? 'unsupported' : 'required',
      },
      NetworkInfo: {
        NetworkPerformance: vcpus <= 8 ? 'Up to 5 Gigabit' : vcpus <= 32 ? 'Up to 10 Gigabit' : '25 Gigabit',
        MaximumNetworkInterfaces: Math.min(15, 2 + Math.floor(vcpus / 2)),
        Ipv4AddressesPerInterface: Math.min(50, 2 + vcpus * 2),
        Ipv6Supported: true,
        EnaSupport: f.family === 't2' ? 'unsupported' : 'required',
      },
      PlacementGroupInfo: { SupportedStrategies: ['partition', 'spread'] },
      HibernationSupported: true,
      BurstablePerformanceSupported: f.burstable,
      DedicatedHostsSupported: !f.burstable,
      AutoRecoverySupported: true,
      SupportedBootModes: ['legacy-bios', 'uefi'],
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

export const instanceTypeHandlers: HandlerMap = { DescribeInstanceTypes: describeInstanceTypes };
