import type { Instance } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent } from '@aws-trpc/shared';
import type { TrackedInstance } from './instance-record';

export interface InstanceChange {
  event: InstanceChangeEvent;
  before?: Instance;
  after: Instance;
}

/**
 * The state changes between two reads, in a stable order (by instance id). A new instance is a change
 * from `null`. An instance that is no longer listed is dropped without an event: EC2 stops listing
 * terminated instances after about an hour, and that is not a state change.
 */
export function diffInstances(
  previous: ReadonlyMap<string, TrackedInstance>,
  next: ReadonlyMap<string, TrackedInstance>,
  observedAt: number,
): InstanceChange[] {
  const changes: InstanceChange[] = [];
  const ids = [...next.keys()].sort();
  const at = new Date(observedAt).toISOString();
  for (const id of ids) {
    const now = next.get(id)!;
    const before = previous.get(id);
    if (before && before.record.state === now.record.state) continue;
    changes.push({
      event: { type: 'change', ...now.record, previousState: before?.record.state ?? null, observedAt: at },
      ...(before ? { before: before.raw } : {}),
      after: now.raw,
    });
  }
  return changes;
}
