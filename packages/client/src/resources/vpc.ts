import { type Vpc as SdkVpc, Vpc$ } from '@aws-sdk/client-ec2';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';
import { SubnetCollection } from './simple-collections';

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface Vpc extends Attributes<SdkVpc, 'load' | 'refresh' | 'delete' | 'subnets'> {}

/** A VPC, like boto3's `ec2.Vpc(id)`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Vpc extends Resource<SdkVpc> {
  constructor(aws: AwsTransport, id: string, data?: SdkVpc) {
    super(aws, id, data);
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.ec2('describeVpcs', { VpcIds: [this.id] }, opts);
    return this.setData(firstOrThrow(output.Vpcs, 'Vpc', this.id));
  }

  /** The subnets of this VPC (the `vpc-id` filter). */
  get subnets(): SubnetCollection {
    return new SubnetCollection(this.aws).filter({ Filters: [{ Name: 'vpc-id', Values: [this.id] }] });
  }

  delete(): Promise<Ec2Output<'deleteVpc'>> {
    return this.aws.ec2('deleteVpc', { VpcId: this.id });
  }
}

defineAttributes(Vpc, Vpc$);
