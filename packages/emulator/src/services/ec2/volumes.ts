import type {
  AttachVolumeCommandInput,
  AttachVolumeCommandOutput,
  CreateVolumeCommandInput,
  CreateVolumeCommandOutput,
  DeleteVolumeCommandInput,
  DeleteVolumeCommandOutput,
  DescribeVolumesCommandInput,
  DescribeVolumesCommandOutput,
  DetachVolumeCommandInput,
  DetachVolumeCommandOutput,
  Volume,
  VolumeType,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkKmsKeyId, defaultKmsKeyId, ebsDefaults } from './ebs-defaults';
import {
  checkDryRun,
  incorrectInstanceState,
  incorrectState,
  instanceMalformed,
  instanceNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  operationNotPermitted,
  volumeInUse,
  volumeMalformed,
  volumeNotFound,
  volumeZoneMismatch,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId, sequence } from './ids';
import { findInstanceRecord } from './instance-state';
import { paginate } from './paging';
import { snapshotForVolume } from './snapshots';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';
import { modificationStateOf } from './volume-modifications';
import { checkZone } from './zones-regions';

/**
 * EBS volumes. A new volume is available at once; an instance's root volume is attached at launch and,
 * with DeleteOnTermination, goes when the instance is terminated.
 */
export interface VolumeRecord {
  seq: number;
  id: string;
  size: number;
  type: VolumeType;
  iops?: number | undefined;
  throughput?: number | undefined;
  zone: string;
  snapshotId: string;
  encrypted: boolean;
  kmsKeyId?: string | undefined;
  created: number;
  /** ModifyVolumeAttribute's autoEnableIO. */
  autoEnableIO?: boolean | undefined;
  multiAttach?: boolean | undefined;
  attachment?:
    | { instanceId: string; device: string; attachTime: number; deleteOnTermination: boolean }
    | undefined;
}

interface VolumeState {
  seq: ReturnType<typeof sequence>;
  byId: Map<string, VolumeRecord>;
  /** instance id → its attached volumes, so that describing thousands of instances stays linear. */
  byInstance: Map<string, VolumeRecord[]>;
}

const state = (region: Region) =>
  region.slot<VolumeState>('ec2.volumes', () => ({
    seq: sequence(),
    byId: new Map(),
    byInstance: new Map(),
  }));

function attach(region: Region, v: VolumeRecord, a: NonNullable<VolumeRecord['attachment']>): void {
  v.attachment = a;
  const byInstance = state(region).byInstance;
  byInstance.set(a.instanceId, [...(byInstance.get(a.instanceId) ?? []), v]);
}

function detach(region: Region, v: VolumeRecord): void {
  const a = v.attachment;
  if (!a) return;
  v.attachment = undefined;
  const byInstance = state(region).byInstance;
  const rest = (byInstance.get(a.instanceId) ?? []).filter((o) => o !== v);
  if (rest.length) byInstance.set(a.instanceId, rest);
  else byInstance.delete(a.instanceId);
}

/** Follows the attached instance: its termination detaches or deletes the volume. False when gone. */
function settleVolume(region: Region, v: VolumeRecord, now: number): boolean {
  const a = v.attachment;
  if (!a) return true;
  const inst = findInstanceRecord(region, a.instanceId, now);
  if (inst && inst.state !== 'terminated') return true;
  detach(region, v);
  if (a.deleteOnTermination) {
    state(region).byId.delete(v.id);
    dropTags(region, v.id);
    return false;
  }
  return true;
}

export function findVolume(region: Region, id: string, now: number): VolumeRecord {
  if (!isWellFormedId('vol', id)) throw volumeMalformed(id);
  const v = state(region).byId.get(id);
  if (!v || !settleVolume(region, v, now)) throw volumeNotFound(id);
  return v;
}

const defaultIops = (type: VolumeType, size: number) =>
  type === 'gp3' ? 3000 : type === 'gp2' ? Math.min(16000, Math.max(100, size * 3)) : undefined;

/** The root volume RunInstances creates from the image's block device mapping. */
export function createRootVolume(
  region: Region,
  opts: {
    zone: string;
    instanceId: string;
    device: string;
    size: number;
    type: VolumeType;
    snapshotId: string;
    now: number;
  },
): VolumeRecord {
  const st = state(region);
  const v: VolumeRecord = {
    seq: st.seq.next(),
    id: newId('vol'),
    size: opts.size,
    type: opts.type,
    iops: defaultIops(opts.type, opts.size),
    throughput: opts.type === 'gp3' ? 125 : undefined,
    zone: opts.zone,
    snapshotId: opts.snapshotId,
    encrypted: false,
    created: opts.now,
  };
  st.byId.set(v.id, v);
  attach(region, v, {
    instanceId: opts.instanceId,
    device: opts.device,
    attachTime: opts.now,
    deleteOnTermination: true,
  });
  return v;
}

/** Every volume as of `now`, in creation order (DescribeVolumeStatus). */
export function allVolumes(region: Region, now: number): VolumeRecord[] {
  return [...state(region).byId.values()].filter((v) => settleVolume(region, v, now));
}

/** The volumes attached to an instance, for its BlockDeviceMappings. */
export function volumesOf(region: Region, instanceId: string): readonly VolumeRecord[] {
  return state(region).byInstance.get(instanceId) ?? [];
}

function volumeShape(region: Region, v: VolumeRecord): Volume {
  const a = v.attachment;
  return {
    VolumeId: v.id,
    Size: v.size,
    VolumeType: v.type,
    Iops: v.iops,
    Throughput: v.throughput,
    AvailabilityZone: v.zone,
    SnapshotId: v.snapshotId,
    Encrypted: v.encrypted,
    KmsKeyId: v.kmsKeyId,
    CreateTime: new Date(v.created),
    MultiAttachEnabled: v.multiAttach ?? false,
    State: a ? 'in-use' : 'available',
    Attachments: a
      ? [
          {
            VolumeId: v.id,
            InstanceId: a.instanceId,
            Device: a.device,
            State: 'attached',
            AttachTime: new Date(a.attachTime),
            DeleteOnTermination: a.deleteOnTermination,
          },
        ]
      : [],
    Tags: tagsOf(region, v.id),
  };
}

const filters: FilterTable<VolumeRecord> = {
  'volume-id': (v) => v.id,
  'volume-type': (v) => v.type,
  size: (v) => v.size,
  iops: (v) => v.iops,
  throughput: (v) => v.throughput,
  'availability-zone': (v) => v.zone,
  'snapshot-id': (v) => v.snapshotId,
  encrypted: (v) => v.encrypted,
  'multi-attach-enabled': () => false,
  'create-time': (v) => new Date(v.created),
  status: (v) => (v.attachment ? 'in-use' : 'available'),
  'attachment.instance-id': (v) => v.attachment?.instanceId,
  'attachment.device': (v) => v.attachment?.device,
  'attachment.status': (v) => (v.attachment ? 'attached' : undefined),
  'attachment.attach-time': (v) => (v.attachment ? new Date(v.attachment.attachTime) : undefined),
  'attachment.delete-on-termination': (v) => v.attachment?.deleteOnTermination,
};

const describeVolumes: Handler<DescribeVolumesCommandInput, Out<DescribeVolumesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const tags = tagReader(ctx.region);
  const keep = compileFilters(input.Filters, filters, (v) => tags(v.id));
  if (input.VolumeIds?.length && input.MaxResults !== undefined)
    throw invalidParameterValue('The parameter volumeSet cannot be used with the parameter maxResults');
  const source = input.VolumeIds?.length
    ? [...new Set(input.VolumeIds)].map((id) => findVolume(ctx.region, id, now)).sort((a, b) => a.seq - b.seq)
    : [...state(ctx.region).byId.values()].filter((v) => settleVolume(ctx.region, v, now));
  const page = paginate(source.filter(keep), input, { min: 5, max: 500 });
  return { Volumes: page.items.map((v) => volumeShape(ctx.region, v)), NextToken: page.nextToken };
};

const VOLUME_TYPES: readonly VolumeType[] = ['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1'];

const createVolume: Handler<CreateVolumeCommandInput, Out<CreateVolumeCommandOutput>> = (input, ctx) => {
  const zone = input.AvailabilityZone;
  if (!zone) throw missingParameter('AvailabilityZone');
  checkZone(ctx.region, zone);
  const type = input.VolumeType ?? 'gp2';
  if (!VOLUME_TYPES.includes(type))
    throw invalidParameterValue(`Value (${type}) for parameter volumeType is invalid.`);
  if (input.Size === undefined && !input.SnapshotId) throw missingParameter('size');
  // A volume from a snapshot is at least the snapshot's size, and encrypted if it is.
  const snap = input.SnapshotId ? snapshotForVolume(ctx, input.SnapshotId) : undefined;
  const size = input.Size ?? snap?.volumeSize ?? 8;
  if (size < 1 || size > 16384)
    throw invalidParameterValue(
      `Volume of ${size}GiB is too large or too small; valid sizes are 1-16384 GiB.`,
    );
  if (snap && size < snap.volumeSize)
    throw invalidParameterValue(
      `Volume of size ${size}GB is smaller than snapshot '${snap.id}', expect size >= ${snap.volumeSize}GB`,
    );
  const kms = input.KmsKeyId !== undefined ? checkKmsKeyId(input.KmsKeyId) : undefined;
  const encrypted = !!(input.Encrypted || snap?.encrypted || ebsDefaults(ctx.region).encryptByDefault);
  if (kms && !encrypted) throw invalidParameterCombination('KmsKeyId requires Encrypted to be true.');
  if ((type === 'io1' || type === 'io2') && input.Iops === undefined) throw missingParameter('iops');
  const tags = tagsFromSpecifications(input.TagSpecifications, ['volume']);
  checkDryRun(input);
  const st = state(ctx.region);
  const v: VolumeRecord = {
    seq: st.seq.next(),
    id: newId('vol'),
    size,
    type,
    iops: input.Iops ?? defaultIops(type, size),
    throughput: input.Throughput ?? (type === 'gp3' ? 125 : undefined),
    zone,
    snapshotId: input.SnapshotId ?? '',
    encrypted,
    kmsKeyId: encrypted ? (kms ?? snap?.kmsKeyId ?? defaultKmsKeyId(ctx.region)) : undefined,
    created: ctx.clock.now(),
  };
  st.byId.set(v.id, v);
  setTags(ctx.region, v.id, tags.get('volume') ?? []);
  // CreateVolume answers 'creating'; the emulator makes it 'available' straight away.
  return { ...volumeShape(ctx.region, v), State: 'creating' };
};

const attachVolume: Handler<AttachVolumeCommandInput, Out<AttachVolumeCommandOutput>> = (input, ctx) => {
  const now = ctx.clock.now();
  if (!input.VolumeId) throw missingParameter('VolumeId');
  if (!input.InstanceId) throw missingParameter('InstanceId');
  if (!input.Device) throw missingParameter('Device');
  const v = findVolume(ctx.region, input.VolumeId, now);
  if (!isWellFormedId('i', input.InstanceId)) throw instanceMalformed(input.InstanceId);
  const inst = findInstanceRecord(ctx.region, input.InstanceId, now);
  if (!inst) throw instanceNotFound([input.InstanceId]);
  if (v.attachment) throw volumeInUse(`${v.id} is already attached to an instance`);
  if (inst.state !== 'running' && inst.state !== 'stopped')
    throw incorrectInstanceState(`Instance '${inst.id}' is not 'running' or 'stopped'.`);
  if (inst.zone !== v.zone) throw volumeZoneMismatch(v.id, inst.id);
  const modifying = modificationStateOf(ctx, v.id);
  if (modifying === 'modifying')
    throw operationNotPermitted(`Cannot attach volume ${v.id} when it is in modification state: MODIFYING`);
  if (volumesOf(ctx.region, inst.id).some((o) => o.attachment?.device === input.Device))
    throw invalidParameterValue(
      `Invalid value '${input.Device}' for unixDevice. Attachment point ${input.Device} is already in use`,
    );
  checkDryRun(input);
  attach(ctx.region, v, {
    instanceId: inst.id,
    device: input.Device,
    attachTime: now,
    deleteOnTermination: false,
  });
  return {
    VolumeId: v.id,
    InstanceId: inst.id,
    Device: input.Device,
    State: 'attaching',
    AttachTime: new Date(now),
    DeleteOnTermination: false,
  };
};

const detachVolume: Handler<DetachVolumeCommandInput, Out<DetachVolumeCommandOutput>> = (input, ctx) => {
  const now = ctx.clock.now();
  if (!input.VolumeId) throw missingParameter('VolumeId');
  const v = findVolume(ctx.region, input.VolumeId, now);
  const a = v.attachment;
  if (!a) throw incorrectState(`Volume '${v.id}' is in the 'available' state.`);
  if (input.InstanceId && input.InstanceId !== a.instanceId)
    throw incorrectState(`Volume '${v.id}' is not attached to instance '${input.InstanceId}'.`);
  const inst = findInstanceRecord(ctx.region, a.instanceId, now);
  if (inst && a.device === inst.rootDeviceName && inst.state !== 'stopped' && !input.Force)
    throw operationNotPermitted(`Unable to detach root volume '${v.id}' from instance '${inst.id}'`);
  checkDryRun(input);
  detach(ctx.region, v);
  return {
    VolumeId: v.id,
    InstanceId: a.instanceId,
    Device: a.device,
    State: 'detaching',
    AttachTime: new Date(a.attachTime),
    DeleteOnTermination: a.deleteOnTermination,
  };
};

const deleteVolume: Handler<DeleteVolumeCommandInput, Out<DeleteVolumeCommandOutput>> = (input, ctx) => {
  if (!input.VolumeId) throw missingParameter('VolumeId');
  const v = findVolume(ctx.region, input.VolumeId, ctx.clock.now());
  if (v.attachment) throw volumeInUse(`Volume ${v.id} is currently attached to ${v.attachment.instanceId}`);
  checkDryRun(input);
  state(ctx.region).byId.delete(v.id);
  dropTags(ctx.region, v.id);
  return {};
};

registerTaggable('vol', {
  resourceType: 'volume',
  check: (region, id, now) => void findVolume(region, id, now),
});

export const volumeHandlers: HandlerMap = {
  CreateVolume: createVolume,
  DescribeVolumes: describeVolumes,
  AttachVolume: attachVolume,
  DetachVolume: detachVolume,
  DeleteVolume: deleteVolume,
};
