import type { Instance, Reservation } from '@aws-sdk/client-ec2';
import type { InstanceStateName, InstanceStateRecord } from '@aws-trpc/shared';

/** One instance as the source keeps it: the SDK's own shape (filters read it) and the stream's summary. */
export interface TrackedInstance {
  raw: Instance;
  record: InstanceStateRecord;
  /** The reservation it came in, without its Instances, so waiters can answer DescribeInstances from cache. */
  reservation: Omit<Reservation, 'Instances'>;
}

/** States in which an instance changes by itself soon, so the source polls fast. */
export const transitionalStates: ReadonlySet<string> = new Set(['pending', 'stopping', 'shutting-down']);

export function trackInstances(
  reservations: readonly Reservation[] | undefined,
): Map<string, TrackedInstance> {
  const out = new Map<string, TrackedInstance>();
  for (const r of reservations ?? []) {
    const { Instances, ...reservation } = r;
    for (const raw of Instances ?? []) {
      if (!raw.InstanceId || !raw.State?.Name) continue;
      out.set(raw.InstanceId, { raw, record: toRecord(raw), reservation });
    }
  }
  return out;
}

function toRecord(i: Instance): InstanceStateRecord {
  const tags: Record<string, string> = {};
  for (const t of i.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  const record: InstanceStateRecord = {
    instanceId: i.InstanceId!,
    state: i.State!.Name as InstanceStateName,
    tags,
  };
  const reason = i.StateReason?.Message ?? i.StateTransitionReason;
  if (reason) record.stateReason = reason;
  if (i.InstanceType) record.instanceType = i.InstanceType;
  if (i.Placement?.AvailabilityZone) record.availabilityZone = i.Placement.AvailabilityZone;
  return record;
}
