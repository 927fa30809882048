import { DescribeInstanceTypesCommand, EC2Client, type InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { INSTANCE_FAMILIES } from '../src/services/ec2/instance-type-data';

/**
 * Regenerates the figures of src/services/ec2/instance-type-data.ts from a real AWS account:
 *   AWS_REGION=us-east-1 npx tsx packages/emulator/scripts/instance-types-from-aws.ts
 * (needs ec2:DescribeInstanceTypes). It prints, per family, the `sizes` rows
 * [size, vCPUs, MiB, network interfaces, IPv4 per interface] and flags every row that differs from
 * the checked-in table; paste the differing rows back.
 */
async function main() {
  const ec2 = new EC2Client({});
  let differences = 0;
  for (const f of INSTANCE_FAMILIES) {
    const found: InstanceTypeInfo[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstanceTypesCommand({
          Filters: [{ Name: 'instance-type', Values: [`${f.family}.*`] }],
          NextToken,
        }),
      );
      found.push(...(page.InstanceTypes ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    console.log(`// ${f.family}`);
    for (const [size, ...ours] of f.sizes) {
      const t = found.find((x) => x.InstanceType === `${f.family}.${size}`);
      const theirs = t && [
        t.VCpuInfo?.DefaultVCpus,
        t.MemoryInfo?.SizeInMiB,
        t.NetworkInfo?.MaximumNetworkInterfaces,
        t.NetworkInfo?.Ipv4AddressesPerInterface,
      ];
      const same = theirs?.every((v, i) => v === ours[i]);
      if (!same) differences++;
      console.log(
        `  ['${size}', ${(theirs ?? ['?']).join(', ')}],${same ? '' : `  // checked in: ${ours.join(', ')}`}`,
      );
    }
  }
  console.log(`\n${differences} row(s) differ from instance-type-data.ts`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
