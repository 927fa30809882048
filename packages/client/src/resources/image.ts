import { Image$, type Image as SdkImage } from '@aws-sdk/client-ec2';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface Image extends Attributes<SdkImage, 'load' | 'refresh' | 'deregister'> {}

/** An AMI, like boto3's `ec2.Image(id)`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Image extends Resource<SdkImage> {
  constructor(aws: AwsTransport, id: string, data?: SdkImage) {
    super(aws, id, data);
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.ec2('describeImages', { ImageIds: [this.id] }, opts);
    return this.setData(firstOrThrow(output.Images, 'Image', this.id));
  }

  deregister(): Promise<Ec2Output<'deregisterImage'>> {
    return this.aws.ec2('deregisterImage', { ImageId: this.id });
  }
}

defineAttributes(Image, Image$);
