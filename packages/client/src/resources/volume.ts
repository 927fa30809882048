import { type Volume as SdkVolume, Volume$ } from '@aws-sdk/client-ec2';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface Volume extends Attributes<SdkVolume, 'load' | 'refresh' | 'attach' | 'detach' | 'delete'> {}

/** An EBS volume, like boto3's `ec2.Volume(id)`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Volume extends Resource<SdkVolume> {
  constructor(aws: AwsTransport, id: string, data?: SdkVolume) {
    super(aws, id, data);
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.ec2('describeVolumes', { VolumeIds: [this.id] }, opts);
    return this.setData(firstOrThrow(output.Volumes, 'Volume', this.id));
  }

  /** Attaches to an instance (an id or an Instance) as `device`, e.g. '/dev/sdf'. */
  attach(instance: string | { id: string }, device: string): Promise<Ec2Output<'attachVolume'>> {
    const InstanceId = typeof instance === 'string' ? instance : instance.id;
    return this.aws.ec2('attachVolume', { VolumeId: this.id, InstanceId, Device: device });
  }

  detach(
    opts: { force?: boolean; instance?: string | { id: string } } = {},
  ): Promise<Ec2Output<'detachVolume'>> {
    const instance = opts.instance;
    return this.aws.ec2('detachVolume', {
      VolumeId: this.id,
      Force: opts.force,
      ...(instance ? { InstanceId: typeof instance === 'string' ? instance : instance.id } : {}),
    });
  }

  delete(): Promise<Ec2Output<'deleteVolume'>> {
    return this.aws.ec2('deleteVolume', { VolumeId: this.id });
  }
}

defineAttributes(Volume, Volume$);
