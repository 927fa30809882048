import { type SecurityGroup as SdkSecurityGroup, SecurityGroup$ } from '@aws-sdk/client-ec2';
import type { Ec2Input, Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { firstOrThrow } from './not-found';
import { Resource } from './resource';

type Rules<
  P extends
    | 'authorizeSecurityGroupIngress'
    | 'revokeSecurityGroupIngress'
    | 'authorizeSecurityGroupEgress'
    | 'revokeSecurityGroupEgress',
> = Omit<Ec2Input<P>, 'GroupId' | 'GroupName'>;

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface SecurityGroup extends Attributes<SdkSecurityGroup, 'load' | 'refresh' | 'delete'> {}

/** An EC2 security group, like boto3's `ec2.SecurityGroup(id)`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class SecurityGroup extends Resource<SdkSecurityGroup> {
  constructor(aws: AwsTransport, id: string, data?: SdkSecurityGroup) {
    super(aws, id, data);
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    const output = await this.aws.ec2('describeSecurityGroups', { GroupIds: [this.id] }, opts);
    return this.setData(firstOrThrow(output.SecurityGroups, 'SecurityGroup', this.id));
  }

  /** e.g. `{ IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }`. */
  authorizeIngress(
    rules: Rules<'authorizeSecurityGroupIngress'>,
  ): Promise<Ec2Output<'authorizeSecurityGroupIngress'>> {
    return this.aws.ec2('authorizeSecurityGroupIngress', { ...rules, GroupId: this.id });
  }

  revokeIngress(
    rules: Rules<'revokeSecurityGroupIngress'>,
  ): Promise<Ec2Output<'revokeSecurityGroupIngress'>> {
    return this.aws.ec2('revokeSecurityGroupIngress', { ...rules, GroupId: this.id });
  }

  authorizeEgress(
    rules: Rules<'authorizeSecurityGroupEgress'>,
  ): Promise<Ec2Output<'authorizeSecurityGroupEgress'>> {
    return this.aws.ec2('authorizeSecurityGroupEgress', { ...rules, GroupId: this.id });
  }

  revokeEgress(rules: Rules<'revokeSecurityGroupEgress'>): Promise<Ec2Output<'revokeSecurityGroupEgress'>> {
    return this.aws.ec2('revokeSecurityGroupEgress', { ...rules, GroupId: this.id });
  }

  delete(): Promise<Ec2Output<'deleteSecurityGroup'>> {
    return this.aws.ec2('deleteSecurityGroup', { GroupId: this.id });
  }
}

defineAttributes(SecurityGroup, SecurityGroup$);
