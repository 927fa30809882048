import { type Subnet as SdkSubnet, Subnet$ } from '@aws-sdk/client-ec2';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface Subnet extends Attributes<SdkSubnet, 'load' | 'refresh' | 'delete'> {}

/** A subnet, like boto3's `ec2.Subnet(id)`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Subnet extends Resource<SdkSubnet> {
  constructor(aws: AwsTransport, id: string, data?: SdkSubnet) {
    super(aws, id, data);
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.ec2('describeSubnets', { SubnetIds: [this.id] }, opts);
    return this.setData(firstOrThrow(output.Subnets, 'Subnet', this.id));
  }

  delete(): Promise<Ec2Output<'deleteSubnet'>> {
    return this.aws.ec2('deleteSubnet', { SubnetId: this.id });
  }
}

defineAttributes(Subnet, Subnet$);
