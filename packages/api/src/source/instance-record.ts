import type { Instance, Reservation, Tag } from '@aws-sdk/client-ec2';
import type { InstanceStateName, InstanceStateRecord } from '@aws-trpc/shared';
import { stateCodes } from './lifecycle';

/** One instance as the source keeps it: the SDK's own shape (filters read it) and the stream's summary. */
export interface TrackedInstance {
  raw: Instance;
  record: InstanceStateRecord;
  /** The reservation it came in, without its Instances, so waiters can answer DescribeInstances from cache. */
  reservation: Omit<Reservation, 'Instances'>;
  /** When its current state was observed (ms): what later observations are ordered against. */
  at: number;
}

/** The instances of a DescribeInstances answer (or RunInstances'), each observed at `at`. */
export function trackInstances(
  reservations: readonly Reservation[] | undefined,
  at: number,
): Map<string, TrackedInstance> {
  const out = new Map<string, TrackedInstance>();
  for (const r of reservations ?? []) {
    const { Instances, ...reservation } = r;
    for (const raw of Instances ?? []) {
      if (!raw.InstanceId || !raw.State?.Name) continue;
      out.set(raw.InstanceId, { raw, record: toRecord(raw), reservation, at });
    }
  }
  return out;
}

/** The same instance in another state, observed at `at` (an answer that carries only the state). */
export function withState(
  t: TrackedInstance,
  state: InstanceStateName,
  at: number,
  reason?: string,
): TrackedInstance {
  const raw: Instance = { ...t.raw, State: { Name: state, Code: stateCodes[state] } };
  if (reason !== undefined) raw.StateTransitionReason = reason;
  return { raw, record: toRecord(raw), reservation: t.reservation, at };
}

/** The same instance with other tags (CreateTags, DeleteTags); its state and its time are unchanged. */
export function withTags(t: TrackedInstance, tags: readonly Tag[]): TrackedInstance {
  const raw: Instance = { ...t.raw, Tags: [...tags] };
  return { ...t, raw, record: toRecord(raw) };
}

/** An instance as another replica logged it (the shared log carries the raw instance). */
export function trackedFrom(
  raw: Instance,
  reservation: Omit<Reservation, 'Instances'>,
  at: number,
): TrackedInstance {
  return { raw, record: toRecord(raw), reservation, at };
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
