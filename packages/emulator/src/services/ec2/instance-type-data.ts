/**
 * EC2 instance types: vCPUs, memory, architectures and network limits (network interfaces and IPv4
 * addresses per interface), as AWS publishes them in "Amazon EC2 instance types — specifications"
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, co.html, mo.html, ac.html) and as
 * DescribeInstanceTypes answers. No maintained npm package carries this data, so it is checked in.
 *
 * Regenerate from a real account with `npx tsx packages/emulator/scripts/instance-types-from-aws.ts`
 * (DescribeInstanceTypes for the families below, written back in this file's layout); the test
 * `test/ec2-instance-types.test.ts` checks published values (t3.micro: 2 interfaces × 2 addresses).
 */

export interface FamilySpec {
  family: string;
  arch: 'x86_64' | 'arm64';
  manufacturer: 'Intel' | 'AMD' | 'AWS';
  /** Sustained clock speed in GHz. */
  ghz: number;
  hypervisor: 'nitro' | 'xen';
  burstable: boolean;
  currentGeneration: boolean;
  /** vCPUs per core. */
  threadsPerCore: number;
  /** [size, vCPUs, memory in MiB, network interfaces, IPv4 addresses per interface] */
  sizes: ReadonlyArray<readonly [string, number, number, number, number]>;
}

const GiB = 1024;

/** The sizes of the general / compute / memory families on Nitro: their interface limits are shared. */
function nitroSizes(
  memoryPerVcpu: number,
  names: readonly string[],
  vcpus: Readonly<Record<string, number>> = {},
): FamilySpec['sizes'] {
  const table: Record<string, [number, number, number]> = {
    medium: [1, 2, 4],
    large: [2, 3, 10],
    xlarge: [4, 4, 15],
    '2xlarge': [8, 4, 15],
    '4xlarge': [16, 8, 30],
    '8xlarge': [32, 8, 30],
    '9xlarge': [36, 8, 30],
    '12xlarge': [48, 8, 30],
    '16xlarge': [64, 15, 50],
    '18xlarge': [72, 15, 50],
    '24xlarge': [96, 15, 50],
    '32xlarge': [128, 15, 50],
    '48xlarge': [192, 15, 50],
  };
  return names.map((n) => {
    const [cpu, enis, ips] = table[n]!;
    const v = vcpus[n] ?? cpu;
    return [n, v, v * memoryPerVcpu * GiB, enis, ips] as const;
  });
}

const burstableSizes = (nanoMicroVcpus: number): FamilySpec['sizes'] => [
  ['nano', nanoMicroVcpus, 0.5 * GiB, 2, 2],
  ['micro', nanoMicroVcpus, 1 * GiB, 2, 2],
  ['small', nanoMicroVcpus, 2 * GiB, 3, 4],
  ['medium', 2, 4 * GiB, 3, 6],
  ['large', 2, 8 * GiB, 3, 12],
  ['xlarge', 4, 16 * GiB, 4, 15],
  ['2xlarge', 8, 32 * GiB, 4, 15],
];

const x86 = {
  arch: 'x86_64',
  hypervisor: 'nitro',
  burstable: false,
  currentGeneration: true,
  threadsPerCore: 2,
} as const;
const graviton = {
  arch: 'arm64',
  manufacturer: 'AWS',
  hypervisor: 'nitro',
  burstable: false,
  currentGeneration: true,
  threadsPerCore: 1,
} as const;

const gravitonSizes = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

export const INSTANCE_FAMILIES: readonly FamilySpec[] = [
  // The previous-generation m1.small is still RunInstances' default InstanceType.
  {
    family: 'm1',
    arch: 'x86_64',
    manufacturer: 'Intel',
    ghz: 2.0,
    hypervisor: 'xen',
    burstable: false,
    currentGeneration: false,
    threadsPerCore: 1,
    sizes: [
      ['small', 1, 1740, 2, 4],
      ['medium', 1, 3840, 2, 6],
    ],
  },
  {
    family: 't2',
    arch: 'x86_64',
    manufacturer: 'Intel',
    ghz: 2.4,
    hypervisor: 'xen',
    burstable: true,
    currentGeneration: true,
    threadsPerCore: 1,
    sizes: [
      ['nano', 1, 0.5 * GiB, 2, 2],
      ['micro', 1, 1 * GiB, 2, 2],
      ['small', 1, 2 * GiB, 3, 4],
      ['medium', 2, 4 * GiB, 3, 6],
      ['large', 2, 8 * GiB, 3, 12],
      ['xlarge', 4, 16 * GiB, 3, 15],
      ['2xlarge', 8, 32 * GiB, 3, 15],
    ],
  },
  { ...x86, family: 't3', manufacturer: 'Intel', ghz: 2.5, burstable: true, sizes: burstableSizes(2) },
  { ...x86, family: 't3a', manufacturer: 'AMD', ghz: 2.2, burstable: true, sizes: burstableSizes(2) },
  { ...graviton, family: 't4g', ghz: 2.5, burstable: true, threadsPerCore: 1, sizes: burstableSizes(2) },
  {
    ...x86,
    family: 'm5',
    manufacturer: 'Intel',
    ghz: 3.1,
    sizes: nitroSizes(4, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
    ]),
  },
  {
    ...x86,
    family: 'm6i',
    manufacturer: 'Intel',
    ghz: 3.5,
    sizes: nitroSizes(4, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
      '32xlarge',
    ]),
  },
  {
    ...x86,
    family: 'm7i',
    manufacturer: 'Intel',
    ghz: 3.2,
    sizes: nitroSizes(4, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
      '48xlarge',
    ]),
  },
  {
    ...x86,
    family: 'c5',
    manufacturer: 'Intel',
    ghz: 3.4,
    sizes: nitroSizes(2, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '9xlarge',
      '12xlarge',
      '18xlarge',
      '24xlarge',
    ]),
  },
  {
    ...x86,
    family: 'c6i',
    manufacturer: 'Intel',
    ghz: 3.5,
    sizes: nitroSizes(2, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
      '32xlarge',
    ]),
  },
  {
    ...x86,
    family: 'r5',
    manufacturer: 'Intel',
    ghz: 3.1,
    sizes: nitroSizes(8, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
    ]),
  },
  {
    ...x86,
    family: 'r6i',
    manufacturer: 'Intel',
    ghz: 3.5,
    sizes: nitroSizes(8, [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
      '32xlarge',
    ]),
  },
  {
    ...x86,
    family: 'g5',
    manufacturer: 'AMD',
    ghz: 3.3,
    sizes: [
      ['xlarge', 4, 16 * GiB, 4, 15],
      ['2xlarge', 8, 32 * GiB, 4, 15],
      ['4xlarge', 16, 64 * GiB, 8, 30],
      ['8xlarge', 32, 128 * GiB, 8, 30],
      ['12xlarge', 48, 192 * GiB, 15, 50],
      ['16xlarge', 64, 256 * GiB, 8, 30],
      ['24xlarge', 96, 384 * GiB, 15, 50],
      ['48xlarge', 192, 768 * GiB, 7, 50],
    ],
  },
  { ...graviton, family: 'm6g', ghz: 2.5, sizes: nitroSizes(4, gravitonSizes) },
  { ...graviton, family: 'm7g', ghz: 2.6, sizes: nitroSizes(4, gravitonSizes) },
  { ...graviton, family: 'c6g', ghz: 2.5, sizes: nitroSizes(2, gravitonSizes) },
  { ...graviton, family: 'c7g', ghz: 2.6, sizes: nitroSizes(2, gravitonSizes) },
  { ...graviton, family: 'r6g', ghz: 2.5, sizes: nitroSizes(8, gravitonSizes) },
  { ...graviton, family: 'r7g', ghz: 2.6, sizes: nitroSizes(8, gravitonSizes) },
];
