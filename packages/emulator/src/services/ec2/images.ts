import type {
  BlockDeviceMapping,
  CopyImageCommandInput,
  CopyImageCommandOutput,
  CreateImageCommandInput,
  CreateImageCommandOutput,
  DeregisterImageCommandInput,
  DeregisterImageCommandOutput,
  DescribeImagesCommandInput,
  DescribeImagesCommandOutput,
  Image,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkKmsKeyId, defaultKmsKeyId } from './ebs-defaults';
import {
  amiMalformed,
  amiNameDuplicate,
  amiNotFound,
  checkDryRun,
  incorrectInstanceState,
  incorrectState,
  instanceMalformed,
  instanceNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  invalidRegion,
  missingParameter,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId, sequence } from './ids';
import { findInstanceRecord } from './instance-state';
import { paginate } from './paging';
import { deleteSnapshots, newSnapshot, snapshotVolume } from './snapshots';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';
import { type VolumeRecord, volumesOf } from './volumes';
import { isKnownRegion } from './zones-regions';

/** AMIs: a seeded set of public images, and the account's own from CreateImage. */

export interface ImageRecord {
  seq: number;
  image: Image;
  /** A created image is 'pending' until then. */
  availableAt: number;
}

const AMAZON = '137112412989';
const CANONICAL = '099720109477';
const AMAZON_WINDOWS = '801119661308';

function seeded(
  ImageId: string,
  Name: string,
  OwnerId: string,
  opts: {
    alias?: string;
    arch: 'x86_64' | 'arm64';
    windows?: boolean;
    root: string;
    description: string;
    created: string;
  },
): Image {
  return {
    ImageId,
    Name,
    Description: opts.description,
    OwnerId,
    ImageOwnerAlias: opts.alias,
    ImageLocation: `${opts.alias ?? OwnerId}/${Name}`,
    Architecture: opts.arch,
    CreationDate: opts.created,
    Public: true,
    State: 'available',
    ImageType: 'machine',
    // The SDK's enum says 'Windows'; EC2 itself writes 'windows'.
    Platform: opts.windows ? ('windows' as Image['Platform']) : undefined,
    PlatformDetails: opts.windows ? 'Windows' : 'Linux/UNIX',
    UsageOperation: opts.windows ? 'RunInstances:0002' : 'RunInstances',
    RootDeviceName: opts.root,
    RootDeviceType: 'ebs',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    BootMode: opts.windows ? 'uefi' : 'uefi-preferred',
    ImdsSupport: opts.windows ? undefined : 'v2.0',
    DeprecationTime: '2026-11-21T21:39:00.000Z',
    BlockDeviceMappings: [
      {
        DeviceName: opts.root,
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: `snap-${ImageId.slice(4)}`,
          VolumeSize: opts.windows ? 30 : 8,
          VolumeType: 'gp3',
          Iops: 3000,
          Throughput: 125,
          Encrypted: false,
        },
      },
    ],
  };
}

/** Real names and owners of the images people launch most. */
const SEEDED: Image[] = [
  seeded('ami-0453ec754f44f9a4a', 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', AMAZON, {
    alias: 'amazon',
    arch: 'x86_64',
    root: '/dev/xvda',
    description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1',
    created: '2024-11-21T21:39:50.000Z',
  }),
  seeded('ami-0c4e709339fa8521a', 'al2023-ami-2023.6.20241121.0-kernel-6.1-arm64', AMAZON, {
    alias: 'amazon',
    arch: 'arm64',
    root: '/dev/xvda',
    description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1',
    created: '2024-11-21T21:39:52.000Z',
  }),
  seeded(
    'ami-0e2c8caa4b6378d8c',
    'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119',
    CANONICAL,
    {
      arch: 'x86_64',
      root: '/dev/sda1',
      description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
      created: '2024-11-19T07:51:27.000Z',
    },
  ),
  seeded(
    'ami-0a7a4e87939439934',
    'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119',
    CANONICAL,
    {
      arch: 'arm64',
      root: '/dev/sda1',
      description: 'Canonical, Ubuntu, 24.04, arm64 noble image',
      created: '2024-11-19T07:51:29.000Z',
    },
  ),
  seeded('ami-05b4ded3ceb71e470', 'Windows_Server-2022-English-Full-Base-2024.11.13', AMAZON_WINDOWS, {
    alias: 'amazon',
    arch: 'x86_64',
    windows: true,
    root: '/dev/sda1',
    description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    created: '2024-11-13T20:15:14.000Z',
  }),
];

interface ImageState {
  seq: ReturnType<typeof sequence>;
  byId: Map<string, ImageRecord>;
}

const state = (region: Region) =>
  region.slot<ImageState>('ec2.images', () => {
    const seq = sequence();
    return {
      seq,
      byId: new Map(SEEDED.map((image) => [image.ImageId!, { seq: seq.next(), image, availableAt: 0 }])),
    };
  });

export function findImage(region: Region, id: string): ImageRecord {
  if (!isWellFormedId('ami', id)) throw amiMalformed(id);
  const rec = state(region).byId.get(id);
  if (!rec) throw amiNotFound([id]);
  return rec;
}

function imageShape(region: Region, rec: ImageRecord, now: number): Image {
  const pending = now < rec.availableAt;
  return { ...rec.image, State: pending ? 'pending' : 'available', Tags: tagsOf(region, rec.image.ImageId!) };
}

const filters: FilterTable<Image> = {
  architecture: (i) => i.Architecture,
  description: (i) => i.Description,
  'image-id': (i) => i.ImageId,
  'image-type': (i) => i.ImageType,
  'is-public': (i) => i.Public,
  name: (i) => i.Name,
  'owner-alias': (i) => i.ImageOwnerAlias,
  'owner-id': (i) => i.OwnerId,
  platform: (i) => i.Platform,
  'platform-details': (i) => i.PlatformDetails,
  'usage-operation': (i) => i.UsageOperation,
  'root-device-name': (i) => i.RootDeviceName,
  'root-device-type': (i) => i.RootDeviceType,
  state: (i) => i.State,
  'virtualization-type': (i) => i.VirtualizationType,
  hypervisor: (i) => i.Hypervisor,
  'creation-date': (i) => i.CreationDate,
  'ena-support': (i) => i.EnaSupport,
  'image-allowed': () => true,
  'block-device-mapping.device-name': (i) => i.BlockDeviceMappings?.map((b) => b.DeviceName),
  'block-device-mapping.snapshot-id': (i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId),
  'block-device-mapping.volume-size': (i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.VolumeSize),
  'block-device-mapping.volume-type': (i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.VolumeType),
  'block-device-mapping.delete-on-termination': (i) =>
    i.BlockDeviceMappings?.map((b) => b.Ebs?.DeleteOnTermination),
  'block-device-mapping.encrypted': (i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.Encrypted),
};

/**
 * Owners takes account ids and the aliases 'self' and 'amazon'; ExecutableUsers 'all' means public
 * images and 'self' those the caller may launch
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html).
 */
const describeImages: Handler<DescribeImagesCommandInput, Out<DescribeImagesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const account = ctx.region.accountId;
  const owners = input.Owners?.length ? input.Owners : undefined;
  const users = input.ExecutableUsers?.length ? input.ExecutableUsers : undefined;
  const ownerMatches = (i: Image) =>
    !owners ||
    owners.some((o) =>
      o === 'self'
        ? i.OwnerId === account
        : o === 'amazon' || o === 'aws-marketplace'
          ? i.ImageOwnerAlias === o
          : i.OwnerId === o,
    );
  const userMatches = (i: Image) =>
    !users || users.some((u) => (u === 'all' ? i.Public : u === 'self' || u === account ? true : i.Public));
  const tags = tagReader(ctx.region);
  const keep = compileFilters<Image>(input.Filters, filters, (i) => tags(i.ImageId!));
  const st = state(ctx.region);
  const source = input.ImageIds?.length ? idsToRecords(ctx.region, input.ImageIds) : [...st.byId.values()];
  const matching = source.filter((r) => {
    const i = imageShape(ctx.region, r, now);
    return ownerMatches(i) && userMatches(i) && keep(i);
  });
  const page = paginate(matching, input, { min: 5, max: 1000 });
  return { Images: page.items.map((r) => imageShape(ctx.region, r, now)), NextToken: page.nextToken };
};

function idsToRecords(region: Region, ids: readonly string[]): ImageRecord[] {
  const byId = state(region).byId;
  for (const id of ids) if (!isWellFormedId('ami', id)) throw amiMalformed(id);
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw amiNotFound(missing);
  return [...new Set(ids)].map((id) => byId.get(id)!).sort((a, b) => a.seq - b.seq);
}

const createImage: Handler<CreateImageCommandInput, Out<CreateImageCommandOutput>> = (input, ctx) => {
  const now = ctx.clock.now();
  if (!input.InstanceId) throw missingParameter('InstanceId');
  if (!input.Name) throw missingParameter('Name');
  if (!isWellFormedId('i', input.InstanceId)) throw instanceMalformed(input.InstanceId);
  const inst = findInstanceRecord(ctx.region, input.InstanceId, now);
  if (!inst) throw instanceNotFound([input.InstanceId]);
  if (inst.state !== 'running' && inst.state !== 'stopped')
    throw incorrectInstanceState(`The instance '${inst.id}' is not in a state from which it can be imaged.`);
  // AMI names: 3–128 characters of letters, digits and ()[] ./-'@_ (API_CreateImage).
  if (!/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/.test(input.Name))
    throw new AwsError(
      'InvalidAMIName.Malformed',
      `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`,
    );
  const st = state(ctx.region);
  for (const r of st.byId.values())
    if (r.image.OwnerId === ctx.region.accountId && r.image.Name === input.Name)
      throw amiNameDuplicate(input.Name, r.image.ImageId!);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['image', 'snapshot']);
  const mappings = imageMappings(ctx.region, inst.id, input.BlockDeviceMappings);
  checkDryRun(input);
  const source = findImage(ctx.region, inst.imageId).image;
  const ImageId = newId('ami');
  // Each EBS volume of the image is a new snapshot, completing with the image.
  const scope = { region: ctx.region, clock: ctx.clock };
  const BlockDeviceMappings: BlockDeviceMapping[] = mappings.map((m) => {
    if (!m.volume) return m.mapping;
    const snap = snapshotVolume(
      scope,
      m.volume,
      `Created by CreateImage(${inst.id}) for ${ImageId}`,
      ctx.delays.pending,
      tags.get('snapshot'),
    );
    return { ...m.mapping, Ebs: { ...m.mapping.Ebs, SnapshotId: snap.id } };
  });
  const image: Image = {
    ...source,
    ImageId,
    Name: input.Name,
    Description: input.Description,
    OwnerId: ctx.region.accountId,
    ImageOwnerAlias: undefined,
    ImageLocation: `${ctx.region.accountId}/${input.Name}`,
    CreationDate: new Date(now).toISOString(),
    Public: false,
    DeprecationTime: undefined,
    SourceInstanceId: inst.id,
    BlockDeviceMappings,
  };
  st.byId.set(ImageId, { seq: st.seq.next(), image, availableAt: now + ctx.delays.pending });
  setTags(ctx.region, ImageId, tags.get('image') ?? []);
  return { ImageId };
};

/**
 * The image goes; its snapshots stay unless DeleteAssociatedSnapshots
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html).
 */
const deregisterImage: Handler<DeregisterImageCommandInput, Out<DeregisterImageCommandOutput>> = (
  input,
  ctx,
) => {
  if (!input.ImageId) throw missingParameter('ImageId');
  const rec = findImage(ctx.region, input.ImageId);
  if (rec.image.OwnerId !== ctx.region.accountId)
    throw new AwsError('AuthFailure', `Not authorized for image:${input.ImageId}`);
  checkDryRun(input);
  state(ctx.region).byId.delete(input.ImageId);
  dropTags(ctx.region, input.ImageId);
  if (!input.DeleteAssociatedSnapshots) return { Return: true };
  const ids = (rec.image.BlockDeviceMappings ?? []).flatMap((b) =>
    b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [],
  );
  return { Return: true, DeleteSnapshotResults: deleteSnapshots(ctx, ids) };
};

/** The image (of this account) whose block devices use the snapshot: DeleteSnapshot refuses while one does. */
export function imageUsingSnapshot(region: Region, snapshotId: string): string | undefined {
  for (const r of state(region).byId.values())
    if (r.image.BlockDeviceMappings?.some((b) => b.Ebs?.SnapshotId === snapshotId)) return r.image.ImageId;
  return undefined;
}

/**
 * The block devices of an image made from an instance: its attached volumes (each to be snapshotted),
 * changed or dropped (NoDevice) by the call's mappings, plus any new ones the call adds
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html).
 */
function imageMappings(
  region: Region,
  instanceId: string,
  given: readonly BlockDeviceMapping[] | undefined,
): { mapping: BlockDeviceMapping; volume?: VolumeRecord }[] {
  const byDevice = new Map((given ?? []).map((b) => [b.DeviceName, b]));
  const out: { mapping: BlockDeviceMapping; volume?: VolumeRecord }[] = [];
  for (const v of volumesOf(region, instanceId)) {
    const device = v.attachment!.device;
    const change = byDevice.get(device);
    byDevice.delete(device);
    if (change?.NoDevice !== undefined) continue;
    const size = change?.Ebs?.VolumeSize ?? v.size;
    if (size < v.size)
      throw invalidParameterValue(
        `Volume of size ${size}GB is smaller than snapshot, expect size >= ${v.size}GB`,
      );
    out.push({
      volume: v,
      mapping: {
        DeviceName: device,
        Ebs: {
          DeleteOnTermination: change?.Ebs?.DeleteOnTermination ?? v.attachment!.deleteOnTermination,
          VolumeSize: size,
          VolumeType: change?.Ebs?.VolumeType ?? v.type,
          Iops: change?.Ebs?.Iops ?? v.iops,
          Throughput: change?.Ebs?.Throughput ?? v.throughput,
          Encrypted: v.encrypted,
        },
      },
    });
  }
  for (const b of byDevice.values()) {
    if (!b.DeviceName) throw missingParameter('BlockDeviceMapping.DeviceName');
    if (b.NoDevice !== undefined) continue;
    if (b.Ebs && b.Ebs.VolumeSize === undefined && !b.Ebs.SnapshotId) throw missingParameter('size');
    out.push({ mapping: b });
  }
  return out;
}

/**
 * A copy in this region of an image of this or another region, pending for the `pending` delay, with
 * copies of its snapshots (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html).
 */
const copyImage: Handler<CopyImageCommandInput, Out<CopyImageCommandOutput>> = (input, ctx) => {
  if (!input.SourceRegion) throw missingParameter('SourceRegion');
  if (!input.SourceImageId) throw missingParameter('SourceImageId');
  if (!input.Name) throw missingParameter('Name');
  if (!isKnownRegion(input.SourceRegion)) throw invalidRegion(input.SourceRegion);
  const now = ctx.clock.now();
  const sourceRegion = ctx.regionNamed(input.SourceRegion);
  const src = findImage(sourceRegion, input.SourceImageId);
  if (now < src.availableAt)
    throw incorrectState(`Image ${src.image.ImageId} is not in the 'available' state.`);
  if (!src.image.Public && src.image.OwnerId !== ctx.region.accountId)
    throw amiNotFound([input.SourceImageId]);
  for (const r of state(ctx.region).byId.values())
    if (r.image.OwnerId === ctx.region.accountId && r.image.Name === input.Name)
      throw amiNameDuplicate(input.Name, r.image.ImageId!);
  const kms = input.KmsKeyId !== undefined ? checkKmsKeyId(input.KmsKeyId) : undefined;
  if (kms && !input.Encrypted) throw invalidParameterCombination('KmsKeyId requires Encrypted to be true.');
  const tags = tagsFromSpecifications(input.TagSpecifications, ['image', 'snapshot']);
  checkDryRun(input);
  const ImageId = newId('ami');
  const scope = { region: ctx.region, clock: ctx.clock };
  const BlockDeviceMappings = src.image.BlockDeviceMappings?.map((b) => {
    if (!b.Ebs?.SnapshotId) return b;
    const encrypted = !!(b.Ebs.Encrypted || input.Encrypted);
    const snap = newSnapshot(scope, {
      volumeId: 'vol-ffffffff',
      volumeSize: b.Ebs.VolumeSize ?? 8,
      description: `Copied for DestinationAmi ${ImageId} from SourceAmi ${src.image.ImageId} for SourceSnapshot ${b.Ebs.SnapshotId}`,
      encrypted,
      kmsKeyId: encrypted ? (kms ?? defaultKmsKeyId(ctx.region)) : undefined,
      delay: ctx.delays.pending,
      tags: tags.get('snapshot'),
    });
    return { ...b, Ebs: { ...b.Ebs, SnapshotId: snap.id, Encrypted: encrypted, KmsKeyId: snap.kmsKeyId } };
  });
  const image: Image = {
    ...src.image,
    ImageId,
    Name: input.Name,
    Description: input.Description ?? src.image.Description,
    OwnerId: ctx.region.accountId,
    ImageOwnerAlias: undefined,
    ImageLocation: `${ctx.region.accountId}/${input.Name}`,
    CreationDate: new Date(now).toISOString(),
    Public: false,
    DeprecationTime: undefined,
    SourceImageId: src.image.ImageId,
    SourceImageRegion: input.SourceRegion,
    BlockDeviceMappings,
  };
  const st = state(ctx.region);
  st.byId.set(ImageId, { seq: st.seq.next(), image, availableAt: now + ctx.delays.pending });
  const copied = input.CopyImageTags ? (tagsOf(sourceRegion, src.image.ImageId!) ?? []) : [];
  setTags(ctx.region, ImageId, [...copied, ...(tags.get('image') ?? [])]);
  return { ImageId };
};

registerTaggable('ami', { resourceType: 'image', check: (region, id) => void findImage(region, id) });

export const imageHandlers: HandlerMap = {
  CopyImage: copyImage,
  DescribeImages: describeImages,
  CreateImage: createImage,
  DeregisterImage: deregisterImage,
};
