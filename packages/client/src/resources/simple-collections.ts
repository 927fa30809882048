import type {
  KeyPairInfo,
  Image as SdkImage,
  SecurityGroup as SdkSecurityGroup,
  Subnet as SdkSubnet,
  Volume as SdkVolume,
  Vpc as SdkVpc,
} from '@aws-sdk/client-ec2';
import { findOperation } from '@aws-trpc/shared';
import { Collection, type CollectionFilter, type DescribePageRequest, ec2MaxResults } from '../collections';
import type { Ec2Output, Ec2Procedure } from '../service-types';
import type { AwsTransport } from '../transport';
import { Image } from './image';
import { KeyPair } from './key-pair';
import { SecurityGroup } from './security-group';
import { Subnet } from './subnet';
import { Volume } from './volume';
import { Vpc } from './vpc';

/**
 * One Describe* call read as a collection. Whether it pages, and with which members, comes from the
 * catalog's paginator entry (DescribeKeyPairs has none and answers everything at once).
 */
function describePages<P extends Ec2Procedure, T, R>(
  aws: AwsTransport,
  procedure: P,
  idsMember: string,
  items: (output: Ec2Output<P>) => T[] | undefined,
  make: (item: T) => R,
): (request: DescribePageRequest) => Promise<{ items: R[]; nextToken?: string | undefined }> {
  const paginator = findOperation('ec2', procedure)?.paginator;
  return async ({ filter, pageSize, nextToken, signal }) => {
    const input: Record<string, unknown> = {
      ...(filter.Filters ? { Filters: filter.Filters } : {}),
      ...(filter.ids ? { [idsMember]: filter.ids } : {}),
    };
    if (paginator?.pageSize && !filter.ids) input[paginator.pageSize] = ec2MaxResults(pageSize);
    if (paginator && nextToken) input[paginator.inputToken] = nextToken;
    const output = await aws.ec2(procedure, input as never, { signal });
    const token = paginator
      ? (output as unknown as Record<string, unknown>)[paginator.outputToken]
      : undefined;
    return {
      items: (items(output) ?? []).map(make),
      nextToken: typeof token === 'string' ? token : undefined,
    };
  };
}

/** A filter in the SDK's own words (e.g. `VolumeIds`) as the collection's. */
function toFilter(Filters: CollectionFilter['Filters'], ids: string[] | undefined): CollectionFilter {
  return { ...(Filters ? { Filters } : {}), ...(ids ? { ids } : {}) };
}

export class SecurityGroupCollection extends Collection<SecurityGroup> {
  constructor(aws: AwsTransport) {
    super(
      describePages(
        aws,
        'describeSecurityGroups',
        'GroupIds',
        (o) => o.SecurityGroups,
        (g: SdkSecurityGroup) => new SecurityGroup(aws, g.GroupId ?? '', g),
      ),
    );
  }
  filter(filter: { Filters?: CollectionFilter['Filters']; GroupIds?: string[] }): this {
    return this.narrow(toFilter(filter.Filters, filter.GroupIds));
  }
}

export class KeyPairCollection extends Collection<KeyPair> {
  constructor(aws: AwsTransport) {
    super(
      describePages(
        aws,
        'describeKeyPairs',
        'KeyNames',
        (o) => o.KeyPairs,
        (k: KeyPairInfo) => new KeyPair(aws, k.KeyName ?? '', k),
      ),
    );
  }
  filter(filter: { Filters?: CollectionFilter['Filters']; KeyNames?: string[] }): this {
    return this.narrow(toFilter(filter.Filters, filter.KeyNames));
  }
}

export class ImageCollection extends Collection<Image> {
  constructor(aws: AwsTransport) {
    super(
      describePages(
        aws,
        'describeImages',
        'ImageIds',
        (o) => o.Images,
        (i: SdkImage) => new Image(aws, i.ImageId ?? '', i),
      ),
    );
  }
  filter(filter: { Filters?: CollectionFilter['Filters']; ImageIds?: string[] }): this {
    return this.narrow(toFilter(filter.Filters, filter.ImageIds));
  }
}

export class VolumeCollection extends Collection<Volume> {
  constructor(aws: AwsTransport) {
    super(
      describePages(
        aws,
        'describeVolumes',
        'VolumeIds',
        (o) => o.Volumes,
        (v: SdkVolume) => new Volume(aws, v.VolumeId ?? '', v),
      ),
    );
  }
  filter(filter: { Filters?: CollectionFilter['Filters']; VolumeIds?: string[] }): this {
    return this.narrow(toFilter(filter.Filters, filter.VolumeIds));
  }
}

export class VpcCollection extends Collection<Vpc> {
  constructor(aws: AwsTransport) {
    super(
      describePages(
        aws,
        'describeVpcs',
        'VpcIds',
        (o) => o.Vpcs,
        (v: SdkVpc) => new Vpc(aws, v.VpcId ?? '', v),
      ),
    );
  }
  filter(filter: { Filters?: CollectionFilter['Filters']; VpcIds?: string[] }): this {
    return this.narrow(toFilter(filter.Filters, filter.VpcIds));
  }
}

export class SubnetCollection extends Collection<Subnet> {
  constructor(aws: AwsTransport) {
    super(
      describePages(
        aws,
        'describeSubnets',
        'SubnetIds',
        (o) => o.Subnets,
        (s: SdkSubnet) => new Subnet(aws, s.SubnetId ?? '', s),
      ),
    );
  }
  filter(filter: { Filters?: CollectionFilter['Filters']; SubnetIds?: string[] }): this {
    return this.narrow(toFilter(filter.Filters, filter.SubnetIds));
  }
}
