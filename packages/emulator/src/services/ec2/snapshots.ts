import type {
  CopySnapshotCommandInput,
  CopySnapshotCommandOutput,
  CreateSnapshotCommandInput,
  CreateSnapshotCommandOutput,
  CreateSnapshotsCommandInput,
  CreateSnapshotsCommandOutput,
  CreateVolumePermission,
  DeleteSnapshotCommandInput,
  DeleteSnapshotCommandOutput,
  DeleteSnapshotReturnCode,
  DescribeSnapshotAttributeCommandInput,
  DescribeSnapshotAttributeCommandOutput,
  DescribeSnapshotsCommandInput,
  DescribeSnapshotsCommandOutput,
  ModifySnapshotAttributeCommandInput,
  ModifySnapshotAttributeCommandOutput,
  ResetSnapshotAttributeCommandInput,
  ResetSnapshotAttributeCommandOutput,
  Snapshot,
  SnapshotState,
  Tag,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkKmsKeyId, defaultKmsKeyId, ebsDefaults } from './ebs-defaults';
import {
  checkDryRun,
  idErrors,
  incorrectState,
  invalidParameterCombination,
  invalidParameterValue,
  invalidRegion,
  missingParameter,
  snapshotInUse,
} from './errors';
import { imageUsingSnapshot } from './images';
import { resolveInstances } from './instances';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { setTags, tagsFromSpecifications, tagsOf } from './tags';
import { findVolume, type VolumeRecord, volumesOf } from './volumes';
import { isKnownRegion } from './zones-regions';

/**
 * EBS snapshots: pending → completed on the emulator clock (the `pending` delay), with progress in
 * between; copies across regions; createVolumePermission sharing.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html
 */
export interface SnapshotRecord extends ResourceRecord {
  volumeId: string;
  volumeSize: number;
  description: string;
  encrypted: boolean;
  kmsKeyId?: string | undefined;
  started: number;
  completes: number;
  /** createVolumePermission: the `all` group, and account ids. */
  isPublic: boolean;
  users: string[];
}

const stateOf = (s: SnapshotRecord, now: number): SnapshotState =>
  now >= s.completes ? 'completed' : 'pending';

const progressOf = (s: SnapshotRecord, now: number) =>
  now >= s.completes ? '100%' : `${Math.floor((100 * (now - s.started)) / (s.completes - s.started))}%`;

export const snapshots = defineFamily<SnapshotRecord, Snapshot>({
  prefix: 'snap',
  resourceType: 'snapshot',
  errors: idErrors({
    notFound: 'InvalidSnapshot.NotFound',
    malformed: 'InvalidSnapshotID.Malformed',
    noun: 'snapshot',
    prefix: 'snap',
    notFoundMessage: (ids) => `The snapshot '${ids.join(', ')}' does not exist.`,
  }),
  shape: (s, view) => ({
    SnapshotId: s.id,
    VolumeId: s.volumeId,
    VolumeSize: s.volumeSize,
    Description: s.description,
    Encrypted: s.encrypted,
    KmsKeyId: s.kmsKeyId,
    OwnerId: view.region.accountId,
    StartTime: new Date(s.started),
    State: stateOf(s, view.now),
    Progress: progressOf(s, view.now),
    CompletionTime: view.now >= s.completes ? new Date(s.completes) : undefined,
    StorageTier: 'standard',
    TransferType: 'standard',
    Tags: view.tags(s.id),
  }),
  filters: (view) => ({
    description: (s) => s.description,
    encrypted: (s) => s.encrypted,
    'owner-alias': () => undefined,
    'owner-id': () => view.region.accountId,
    progress: (s) => progressOf(s, view.now),
    'snapshot-id': (s) => s.id,
    'start-time': (s) => new Date(s.started),
    status: (s) => stateOf(s, view.now),
    'storage-tier': () => 'standard',
    'transfer-type': () => 'standard',
    'volume-id': (s) => s.volumeId,
    'volume-size': (s) => s.volumeSize,
  }),
});

/** A completed snapshot a volume can be made from (CreateVolume). */
export function snapshotForVolume(scope: Scope, id: string): SnapshotRecord {
  const s = snapshots.get(scope, id, 'SnapshotId');
  if (stateOf(s, scope.clock.now()) !== 'completed')
    throw incorrectState(`Snapshot '${s.id}' is not 'completed'.`);
  return s;
}

/** A snapshot of a volume, completing after the `pending` delay. Validation is the caller's. */
export function snapshotVolume(
  scope: Scope,
  v: VolumeRecord,
  description: string,
  delay: number,
  tags: readonly Tag[] = [],
): SnapshotRecord {
  return newSnapshot(scope, {
    volumeId: v.id,
    volumeSize: v.size,
    description,
    encrypted: v.encrypted,
    kmsKeyId: v.kmsKeyId,
    delay,
    tags,
  });
}

/** A new snapshot, pending for `delay` (CopyImage copies an image's snapshots with it). */
export function newSnapshot(
  scope: Scope,
  o: Pick<SnapshotRecord, 'volumeId' | 'volumeSize' | 'description' | 'encrypted' | 'kmsKeyId'> & {
    delay: number;
    tags?: readonly Tag[] | undefined;
  },
): SnapshotRecord {
  const now = scope.clock.now();
  const s = snapshots.add(scope.region, {
    id: snapshots.newId(),
    volumeId: o.volumeId,
    volumeSize: o.volumeSize,
    description: o.description,
    encrypted: o.encrypted,
    kmsKeyId: o.kmsKeyId,
    started: now,
    completes: now + o.delay,
    isPublic: false,
    users: [],
  });
  setTags(scope.region, s.id, o.tags ?? []);
  return s;
}

const createSnapshot: Handler<CreateSnapshotCommandInput, Out<CreateSnapshotCommandOutput>> = (
  input,
  ctx,
) => {
  if (!input.VolumeId) throw missingParameter('VolumeId');
  const v = findVolume(ctx.region, input.VolumeId, ctx.clock.now());
  const tags = tagsFromSpecifications(input.TagSpecifications, ['snapshot']);
  checkDryRun(input);
  const s = snapshotVolume(ctx, v, input.Description ?? '', ctx.delays.pending, tags.get('snapshot'));
  return snapshots.shape(ctx, s);
};

/**
 * Crash-consistent snapshots of every volume of an instance, less the boot volume or listed data
 * volumes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshots.html).
 */
const createSnapshotsHandler: Handler<CreateSnapshotsCommandInput, Out<CreateSnapshotsCommandOutput>> = (
  input,
  ctx,
) => {
  const spec = input.InstanceSpecification;
  if (!spec?.InstanceId) throw missingParameter('InstanceSpecification.InstanceId');
  const [inst] = resolveInstances(ctx.region, [spec.InstanceId], ctx.clock.now());
  const attached = volumesOf(ctx.region, inst!.id);
  for (const id of spec.ExcludeDataVolumeIds ?? []) {
    const v = findVolume(ctx.region, id, ctx.clock.now());
    if (!attached.includes(v))
      throw invalidParameterValue(`The volume ${id} is not attached to instance ${inst!.id}.`);
    if (v.attachment?.device === inst!.rootDeviceName)
      throw invalidParameterValue('The boot volume cannot be excluded with ExcludeDataVolumeIds.');
  }
  const picked = attached.filter(
    (v) =>
      !(spec.ExcludeBootVolume && v.attachment?.device === inst!.rootDeviceName) &&
      !spec.ExcludeDataVolumeIds?.includes(v.id),
  );
  if (picked.length === 0)
    throw invalidParameterValue(`The instance ${inst!.id} has no volumes to snapshot.`);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['snapshot']);
  if (input.CopyTagsFromSource !== undefined && input.CopyTagsFromSource !== 'volume')
    throw invalidParameterValue(
      `Value (${input.CopyTagsFromSource}) for parameter copyTagsFromSource is invalid.`,
    );
  checkDryRun(input);
  return {
    Snapshots: picked.map((v) => {
      const own = [
        ...(input.CopyTagsFromSource ? (tagsOf(ctx.region, v.id) ?? []) : []),
        ...(tags.get('snapshot') ?? []),
      ];
      const s = snapshotVolume(ctx, v, input.Description ?? '', ctx.delays.pending, own);
      const shape = snapshots.shape(ctx, s);
      return {
        SnapshotId: s.id,
        VolumeId: v.id,
        VolumeSize: s.volumeSize,
        Description: s.description,
        Encrypted: s.encrypted,
        OwnerId: shape.OwnerId,
        StartTime: shape.StartTime,
        State: shape.State,
        Progress: shape.Progress,
        Tags: shape.Tags,
        AvailabilityZone: v.zone,
      };
    }),
  };
};

/**
 * A copy in this region of a snapshot of this or another region (`SourceRegion`); it is pending for
 * the `pending` delay like any new snapshot. Encryption can be added, never removed.
 */
const copySnapshot: Handler<CopySnapshotCommandInput, Out<CopySnapshotCommandOutput>> = (input, ctx) => {
  if (!input.SourceRegion) throw missingParameter('SourceRegion');
  if (!input.SourceSnapshotId) throw missingParameter('SourceSnapshotId');
  if (!isKnownRegion(input.SourceRegion)) throw invalidRegion(input.SourceRegion);
  const source: Scope = { region: ctx.regionNamed(input.SourceRegion), clock: ctx.clock };
  const src = snapshots.get(source, input.SourceSnapshotId, 'SourceSnapshotId');
  if (stateOf(src, ctx.clock.now()) !== 'completed')
    throw incorrectState(`Snapshot '${src.id}' is not 'completed'.`);
  const kms = input.KmsKeyId !== undefined ? checkKmsKeyId(input.KmsKeyId) : undefined;
  if (kms && !input.Encrypted && !src.encrypted)
    throw invalidParameterCombination('KmsKeyId requires Encrypted to be true.');
  const tags = tagsFromSpecifications(input.TagSpecifications, ['snapshot']);
  checkDryRun(input);
  const now = ctx.clock.now();
  const encrypted = src.encrypted || !!input.Encrypted || ebsDefaults(ctx.region).encryptByDefault;
  const s = snapshots.add(ctx.region, {
    id: snapshots.newId(),
    // AWS writes this placeholder volume id on copies.
    volumeId: 'vol-ffffffff',
    volumeSize: src.volumeSize,
    description: input.Description ?? `[Copied ${src.id} from ${input.SourceRegion}]`,
    encrypted,
    kmsKeyId: encrypted ? (kms ?? src.kmsKeyId ?? defaultKmsKeyId(ctx.region)) : undefined,
    started: now,
    completes: now + ctx.delays.pending,
    isPublic: false,
    users: [],
  });
  setTags(ctx.region, s.id, tags.get('snapshot') ?? []);
  return { SnapshotId: s.id, Tags: tagsOf(ctx.region, s.id) };
};

const deleteSnapshot: Handler<DeleteSnapshotCommandInput, Out<DeleteSnapshotCommandOutput>> = (
  input,
  ctx,
) => {
  snapshots.delete(ctx, input, input.SnapshotId, 'SnapshotId', (s) => {
    const ami = imageUsingSnapshot(ctx.region, s.id);
    if (ami) throw snapshotInUse(s.id, ami);
  });
  return {};
};

/**
 * OwnerIds (`self`, `amazon` or account ids) and RestorableByUserIds (`all`, `self` or account ids)
 * select among the account's own snapshots, which is all the emulator holds
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html).
 */
const describeSnapshots: Handler<DescribeSnapshotsCommandInput, Out<DescribeSnapshotsCommandOutput>> = (
  input,
  ctx,
) => {
  if (input.SnapshotIds?.length && input.MaxResults !== undefined)
    throw invalidParameterCombination(
      'The parameter snapshotSet cannot be used with the parameter maxResults',
    );
  const account = ctx.region.accountId;
  const owners = input.OwnerIds?.length ? input.OwnerIds : undefined;
  const mine = !owners || owners.some((o) => o === 'self' || o === account);
  const users = input.RestorableByUserIds?.length ? input.RestorableByUserIds : undefined;
  const restorable = (s: SnapshotRecord) =>
    !users ||
    users.some((u) =>
      u === 'all' ? s.isPublic : u === 'self' || u === account ? true : s.isPublic || s.users.includes(u),
    );
  const page = snapshots.describe(ctx, input, input.SnapshotIds, (s) => mine && restorable(s));
  return { Snapshots: page.items, NextToken: page.nextToken };
};

function permissions(s: SnapshotRecord): CreateVolumePermission[] {
  return [...(s.isPublic ? [{ Group: 'all' as const }] : []), ...s.users.map((UserId) => ({ UserId }))];
}

function checkAttribute(name: string | undefined): 'createVolumePermission' | 'productCodes' {
  if (!name) throw missingParameter('Attribute');
  if (name !== 'createVolumePermission' && name !== 'productCodes')
    throw invalidParameterValue(`Value (${name}) for parameter attribute is invalid. Unknown attribute.`);
  return name;
}

const describeSnapshotAttribute: Handler<
  DescribeSnapshotAttributeCommandInput,
  Out<DescribeSnapshotAttributeCommandOutput>
> = (input, ctx) => {
  const s = snapshots.get(ctx, input.SnapshotId, 'SnapshotId');
  const attribute = checkAttribute(input.Attribute);
  return attribute === 'productCodes'
    ? { SnapshotId: s.id, ProductCodes: [] }
    : { SnapshotId: s.id, CreateVolumePermissions: permissions(s) };
};

/**
 * Adds or removes createVolumePermission for the `all` group or account ids, in the structured form
 * (CreateVolumePermission.Add/Remove) or the older OperationType + UserIds/GroupNames.
 */
const modifySnapshotAttribute: Handler<
  ModifySnapshotAttributeCommandInput,
  Out<ModifySnapshotAttributeCommandOutput>
> = (input, ctx) => {
  const s = snapshots.get(ctx, input.SnapshotId, 'SnapshotId');
  if (input.Attribute !== undefined && input.Attribute !== 'createVolumePermission')
    throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
  const add: CreateVolumePermission[] = [...(input.CreateVolumePermission?.Add ?? [])];
  const remove: CreateVolumePermission[] = [...(input.CreateVolumePermission?.Remove ?? [])];
  const legacy = [
    ...(input.UserIds ?? []).map((UserId) => ({ UserId })),
    ...(input.GroupNames ?? []).map((Group) => ({ Group: Group as 'all' })),
  ];
  if (legacy.length) {
    if (input.OperationType === 'add') add.push(...legacy);
    else if (input.OperationType === 'remove') remove.push(...legacy);
    else throw missingParameter('OperationType');
  }
  if (add.length + remove.length === 0) throw missingParameter('CreateVolumePermission');
  for (const p of [...add, ...remove]) {
    if (p.Group !== undefined && p.Group !== 'all')
      throw invalidParameterValue(
        `Value (${p.Group}) for parameter group is invalid. Only 'all' is supported.`,
      );
    if (p.UserId !== undefined && !/^\d{12}$/.test(p.UserId))
      throw invalidParameterValue(`Value (${p.UserId}) for parameter userId is invalid.`);
  }
  checkDryRun(input);
  for (const p of add) {
    if (p.Group) s.isPublic = true;
    if (p.UserId && !s.users.includes(p.UserId)) s.users.push(p.UserId);
  }
  for (const p of remove) {
    if (p.Group) s.isPublic = false;
    if (p.UserId) s.users = s.users.filter((u) => u !== p.UserId);
  }
  return {};
};

const resetSnapshotAttribute: Handler<
  ResetSnapshotAttributeCommandInput,
  Out<ResetSnapshotAttributeCommandOutput>
> = (input, ctx) => {
  const s = snapshots.get(ctx, input.SnapshotId, 'SnapshotId');
  if (checkAttribute(input.Attribute) !== 'createVolumePermission')
    throw invalidParameterValue('Only createVolumePermission can be reset.');
  checkDryRun(input);
  s.isPublic = false;
  s.users = [];
  return {};
};

/**
 * Deletes the snapshots of a deregistered image (DeregisterImage with DeleteAssociatedSnapshots): a
 * snapshot already gone is skipped, one another image still uses is a client error.
 */
export function deleteSnapshots(scope: Scope, ids: readonly string[]): DeleteSnapshotReturnCode[] {
  return ids.map((id) => {
    const s = snapshots.find(scope, id);
    if (!s) return { SnapshotId: id, ReturnCode: 'skipped' };
    if (imageUsingSnapshot(scope.region, id)) return { SnapshotId: id, ReturnCode: 'client-error' };
    snapshots.remove(scope.region, s);
    return { SnapshotId: id, ReturnCode: 'success' };
  });
}

export const snapshotHandlers: HandlerMap = {
  CreateSnapshot: createSnapshot,
  CreateSnapshots: createSnapshotsHandler,
  CopySnapshot: copySnapshot,
  DeleteSnapshot: deleteSnapshot,
  DescribeSnapshots: describeSnapshots,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
  ModifySnapshotAttribute: modifySnapshotAttribute,
  ResetSnapshotAttribute: resetSnapshotAttribute,
};
