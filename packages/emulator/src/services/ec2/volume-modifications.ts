import type {
  DescribeVolumesModificationsCommandInput,
  DescribeVolumesModificationsCommandOutput,
  ModifyVolumeCommandInput,
  ModifyVolumeCommandOutput,
  VolumeModification,
  VolumeModificationState,
  VolumeType,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  checkDryRun,
  incorrectModificationState,
  invalidParameterValue,
  missingParameter,
  volumeModificationRateExceeded,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { sequence } from './ids';
import { paginate } from './paging';
import type { Scope } from './resource-family';
import { findVolume } from './volumes';

/**
 * Elastic Volumes: ModifyVolume changes size, type, IOPS and throughput of a volume in use. A
 * modification is `modifying`, then `optimizing`, then `completed`, each step one `pending` delay on
 * the emulator clock; at most four per volume in a rolling 24 hours, one at a time
 * (https://docs.aws.amazon.com/ebs/latest/userguide/modify-volume-requirements.html).
 */
interface ModificationRecord {
  seq: number;
  volumeId: string;
  started: number;
  step: number;
  original: {
    size: number;
    type: VolumeType;
    iops?: number | undefined;
    throughput?: number | undefined;
    multi: boolean;
  };
  target: {
    size: number;
    type: VolumeType;
    iops?: number | undefined;
    throughput?: number | undefined;
    multi: boolean;
  };
}

interface ModificationState {
  seq: ReturnType<typeof sequence>;
  byVolume: Map<string, ModificationRecord[]>;
}

const state = (scope: Scope) =>
  scope.region.slot<ModificationState>('ec2.volumeModifications', () => ({
    seq: sequence(),
    byVolume: new Map(),
  }));

function phase(m: ModificationRecord, now: number): { state: VolumeModificationState; progress: number } {
  const elapsed = now - m.started;
  if (m.step <= 0 || elapsed >= 2 * m.step) return { state: 'completed', progress: 100 };
  if (elapsed >= m.step)
    return { state: 'optimizing', progress: 50 + Math.floor((50 * (elapsed - m.step)) / m.step) };
  return { state: 'modifying', progress: Math.floor((50 * elapsed) / m.step) };
}

/** The state of a volume's latest modification, if any (AttachVolume refuses while `modifying`). */
export function modificationStateOf(scope: Scope, volumeId: string): VolumeModificationState | undefined {
  const latest = state(scope).byVolume.get(volumeId)?.at(-1);
  return latest && phase(latest, scope.clock.now()).state;
}

function shape(m: ModificationRecord, now: number): VolumeModification {
  const p = phase(m, now);
  return {
    VolumeId: m.volumeId,
    ModificationState: p.state,
    Progress: p.progress,
    StartTime: new Date(m.started),
    EndTime: p.state === 'completed' ? new Date(m.started + 2 * m.step) : undefined,
    OriginalSize: m.original.size,
    OriginalVolumeType: m.original.type,
    OriginalIops: m.original.iops,
    OriginalThroughput: m.original.throughput,
    OriginalMultiAttachEnabled: m.original.multi,
    TargetSize: m.target.size,
    TargetVolumeType: m.target.type,
    TargetIops: m.target.iops,
    TargetThroughput: m.target.throughput,
    TargetMultiAttachEnabled: m.target.multi,
  };
}

const SIZE: Record<string, [number, number]> = {
  gp2: [1, 16384],
  gp3: [1, 16384],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
  standard: [1, 1024],
};

const DAY = 24 * 60 * 60_000;
const PER_DAY = 4;

const modifyVolume: Handler<ModifyVolumeCommandInput, Out<ModifyVolumeCommandOutput>> = (input, ctx) => {
  if (!input.VolumeId) throw missingParameter('VolumeId');
  const now = ctx.clock.now();
  const v = findVolume(ctx.region, input.VolumeId, now);
  const type = input.VolumeType ?? v.type;
  const bounds = SIZE[type];
  if (!bounds) throw invalidParameterValue(`Value (${type}) for parameter volumeType is invalid.`);
  const size = input.Size ?? v.size;
  if (size < v.size) throw invalidParameterValue('New size cannot be smaller than existing size.');
  if (size < bounds[0] || size > bounds[1])
    throw invalidParameterValue(
      `Volume of ${size}GiB is too large or too small for ${type}; valid sizes are ${bounds[0]}-${bounds[1]} GiB.`,
    );
  if (input.Throughput !== undefined && type !== 'gp3')
    throw invalidParameterValue('Throughput can only be modified for gp3 volumes.');
  if ((type === 'io1' || type === 'io2') && input.Iops === undefined && v.type !== type)
    throw missingParameter('Iops');
  const iops =
    input.Iops ??
    (type === 'gp3'
      ? v.type === 'gp3'
        ? v.iops
        : 3000
      : type === 'gp2'
        ? Math.min(16000, Math.max(100, size * 3))
        : type === v.type
          ? v.iops
          : undefined);
  if (type === 'gp3' && iops !== undefined && (iops < 3000 || iops > 16000))
    throw invalidParameterValue(
      `Value (${iops}) for parameter iops is invalid. Expected 3000-16000 for gp3.`,
    );
  const throughput =
    type === 'gp3' ? (input.Throughput ?? (v.type === 'gp3' ? v.throughput : 125)) : undefined;
  if (throughput !== undefined && (throughput < 125 || throughput > 1000))
    throw invalidParameterValue(
      `Value (${throughput}) for parameter throughput is invalid. Expected 125-1000.`,
    );
  const multi = input.MultiAttachEnabled ?? v.multiAttach ?? false;
  if (multi && type !== 'io1' && type !== 'io2')
    throw invalidParameterValue('Multi-Attach is supported only for io1 and io2 volumes.');
  const original = {
    size: v.size,
    type: v.type,
    iops: v.iops,
    throughput: v.throughput,
    multi: v.multiAttach ?? false,
  };
  const target = { size, type, iops, throughput, multi };
  if (JSON.stringify(original) === JSON.stringify(target))
    throw invalidParameterValue(
      `Modification for volume ${v.id} is not needed: it already has the requested configuration.`,
    );
  const history = state(ctx).byVolume.get(v.id) ?? [];
  const latest = history.at(-1);
  if (latest && phase(latest, now).state !== 'completed')
    throw incorrectModificationState(`Volume ${v.id} is already being modified.`);
  if (history.filter((m) => now - m.started < DAY).length >= PER_DAY) throw volumeModificationRateExceeded();
  checkDryRun(input);
  const m: ModificationRecord = {
    seq: state(ctx).seq.next(),
    volumeId: v.id,
    started: now,
    step: ctx.delays.pending,
    original,
    target,
  };
  state(ctx).byVolume.set(v.id, [...history, m]);
  // The volume takes its new configuration at once (AWS: when the modification reaches optimizing).
  v.size = size;
  v.type = type;
  v.iops = iops;
  v.throughput = throughput;
  v.multiAttach = multi;
  return { VolumeModification: shape(m, now) };
};

const filters = (now: number): FilterTable<ModificationRecord> => ({
  'modification-state': (m) => phase(m, now).state,
  'original-iops': (m) => m.original.iops,
  'original-size': (m) => m.original.size,
  'original-volume-type': (m) => m.original.type,
  'original-multi-attach-enabled': (m) => m.original.multi,
  'start-time': (m) => new Date(m.started),
  'target-iops': (m) => m.target.iops,
  'target-size': (m) => m.target.size,
  'target-volume-type': (m) => m.target.type,
  'target-throughput': (m) => m.target.throughput,
  'target-multi-attach-enabled': (m) => m.target.multi,
  'volume-id': (m) => m.volumeId,
});

/** The latest modification of each volume (of the given ones, which must exist). */
const describeVolumesModifications: Handler<
  DescribeVolumesModificationsCommandInput,
  Out<DescribeVolumesModificationsCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  for (const id of input.VolumeIds ?? []) findVolume(ctx.region, id, now);
  const keep = compileFilters(input.Filters, filters(now));
  const latest = [...state(ctx).byVolume.values()]
    .map((h) => h.at(-1)!)
    .filter((m) => (!input.VolumeIds?.length || input.VolumeIds.includes(m.volumeId)) && keep(m))
    .sort((a, b) => a.seq - b.seq);
  const page = paginate(latest, input, { min: 5, max: 500 });
  return { VolumesModifications: page.items.map((m) => shape(m, now)), NextToken: page.nextToken };
};

export const volumeModificationHandlers: HandlerMap = {
  ModifyVolume: modifyVolume,
  DescribeVolumesModifications: describeVolumesModifications,
};
