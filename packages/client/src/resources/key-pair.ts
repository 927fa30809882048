import { type KeyPairInfo, KeyPairInfo$ } from '@aws-sdk/client-ec2';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface KeyPair extends Attributes<KeyPairInfo, 'load' | 'refresh' | 'delete'> {}

/**
 * An EC2 key pair, named by KeyName like boto3's `ec2.KeyPair(name)`. `keyMaterial` (the private key)
 * is only known to the object returned by `ec2.createKeyPair`: AWS returns it once, at creation.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class KeyPair extends Resource<KeyPairInfo> {
  readonly keyMaterial: string | undefined;

  constructor(aws: AwsTransport, name: string, data?: KeyPairInfo, keyMaterial?: string) {
    super(aws, name, data);
    this.keyMaterial = keyMaterial;
  }

  get name(): string {
    return this.id;
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.ec2('describeKeyPairs', { KeyNames: [this.id] }, opts);
    return this.setData(firstOrThrow(output.KeyPairs, 'KeyPair', this.id));
  }

  delete(): Promise<Ec2Output<'deleteKeyPair'>> {
    return this.aws.ec2('deleteKeyPair', { KeyName: this.id });
  }
}

defineAttributes(KeyPair, KeyPairInfo$);
