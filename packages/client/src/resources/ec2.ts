import type { Ec2Input } from '../service-types';
import type { AwsTransport } from '../transport';
import { Image } from './image';
import { Instance } from './instance';
import { InstanceCollection } from './instance-collection';
import { KeyPair } from './key-pair';
import { Reservation } from './reservation';
import { SecurityGroup } from './security-group';
import {
  ImageCollection,
  KeyPairCollection,
  SecurityGroupCollection,
  SubnetCollection,
  VolumeCollection,
  VpcCollection,
} from './simple-collections';
import { Subnet } from './subnet';
import { Volume } from './volume';
import { Vpc } from './vpc';

/** EC2 resources, the way boto3's `boto3.resource('ec2')` offers them. */
export interface Ec2Resources {
  Instance(id: string): Instance;
  readonly instances: InstanceCollection;
  /** boto3's `create_instances`: RunInstances, answered as Instance objects. */
  createInstances(input: Ec2Input<'runInstances'>): Promise<Instance[]>;
  /** RunInstances answered as a Reservation (boto's `run_instances`), for `stopAll()` and friends. */
  runInstances(input: Ec2Input<'runInstances'>): Promise<Reservation>;

  SecurityGroup(id: string): SecurityGroup;
  readonly securityGroups: SecurityGroupCollection;
  createSecurityGroup(input: Ec2Input<'createSecurityGroup'>): Promise<SecurityGroup>;

  KeyPair(name: string): KeyPair;
  readonly keyPairs: KeyPairCollection;
  /** The returned KeyPair holds `keyMaterial`, which AWS returns only here. */
  createKeyPair(input: Ec2Input<'createKeyPair'>): Promise<KeyPair>;
  importKeyPair(input: Ec2Input<'importKeyPair'>): Promise<KeyPair>;

  Image(id: string): Image;
  readonly images: ImageCollection;

  Volume(id: string): Volume;
  readonly volumes: VolumeCollection;
  createVolume(input: Ec2Input<'createVolume'>): Promise<Volume>;

  Vpc(id: string): Vpc;
  readonly vpcs: VpcCollection;
  createVpc(input: Ec2Input<'createVpc'>): Promise<Vpc>;

  Subnet(id: string): Subnet;
  readonly subnets: SubnetCollection;
  createSubnet(input: Ec2Input<'createSubnet'>): Promise<Subnet>;
}

export function ec2Resources(aws: AwsTransport): Ec2Resources {
  const runInstances = async (input: Ec2Input<'runInstances'>) =>
    new Reservation(aws, await aws.ec2('runInstances', input), { fresh: true });
  return {
    Instance: (id) => new Instance(aws, id),
    get instances() {
      return new InstanceCollection(aws);
    },
    runInstances,
    createInstances: async (input) => (await runInstances(input)).instances,

    SecurityGroup: (id) => new SecurityGroup(aws, id),
    get securityGroups() {
      return new SecurityGroupCollection(aws);
    },
    async createSecurityGroup(input) {
      const output = await aws.ec2('createSecurityGroup', input);
      return new SecurityGroup(aws, output.GroupId ?? '').load();
    },

    KeyPair: (name) => new KeyPair(aws, name),
    get keyPairs() {
      return new KeyPairCollection(aws);
    },
    async createKeyPair(input) {
      const { KeyMaterial, $metadata: _, ...info } = await aws.ec2('createKeyPair', input);
      return new KeyPair(aws, input.KeyName ?? info.KeyName ?? '', info, KeyMaterial);
    },
    async importKeyPair(input) {
      await aws.ec2('importKeyPair', input);
      return new KeyPair(aws, input.KeyName ?? '').load();
    },

    Image: (id) => new Image(aws, id),
    get images() {
      return new ImageCollection(aws);
    },

    Volume: (id) => new Volume(aws, id),
    get volumes() {
      return new VolumeCollection(aws);
    },
    async createVolume(input) {
      const { $metadata: _, ...volume } = await aws.ec2('createVolume', input);
      return new Volume(aws, volume.VolumeId ?? '', volume);
    },

    Vpc: (id) => new Vpc(aws, id),
    get vpcs() {
      return new VpcCollection(aws);
    },
    async createVpc(input) {
      const { Vpc: vpc } = await aws.ec2('createVpc', input);
      return new Vpc(aws, vpc?.VpcId ?? '', vpc);
    },

    Subnet: (id) => new Subnet(aws, id),
    get subnets() {
      return new SubnetCollection(aws);
    },
    async createSubnet(input) {
      const { Subnet: subnet } = await aws.ec2('createSubnet', input);
      return new Subnet(aws, subnet?.SubnetId ?? '', subnet);
    },
  };
}
