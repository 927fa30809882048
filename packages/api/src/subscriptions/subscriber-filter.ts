import type { Filter, Instance } from '@aws-sdk/client-ec2';
import type { InstanceStateName, InstanceStateRecord } from '@aws-trpc/shared';
import { compileInstanceFilters } from '../source/instance-filter';
import type { TrackedInstance } from '../source/instance-record';
import type { SourceEntry } from '../source/state-source';

export interface SubscriberSelection {
  instanceIds?: readonly string[] | undefined;
  filters?: readonly Filter[] | undefined;
  states?: readonly InstanceStateName[] | undefined;
}

/**
 * What one subscriber sees of the shared source.
 * - `instanceIds` and `filters` select instances. A change is delivered when the instance matches before
 *   or after it, so a subscriber filtering on `instance-state-name=running` sees an instance enter and
 *   leave `running`.
 * - `states` selects changes by the state they lead to, and snapshot entries by their current state.
 * Status events (degraded/recovered) go to everyone.
 */
export function selectFor(selection: SubscriberSelection) {
  const ids = selection.instanceIds?.length ? new Set(selection.instanceIds) : undefined;
  const states = selection.states?.length ? new Set<string>(selection.states) : undefined;
  const matches = compileInstanceFilters(selection.filters);
  const instanceMatches = (i: Instance | undefined) =>
    i !== undefined && (!ids || ids.has(i.InstanceId ?? '')) && matches(i);
  return {
    entry(e: SourceEntry): boolean {
      if (e.event.type !== 'change') return true;
      if (states && !states.has(e.event.state)) return false;
      return instanceMatches(e.before) || instanceMatches(e.after);
    },
    snapshot(instances: ReadonlyMap<string, TrackedInstance>): InstanceStateRecord[] {
      const out: InstanceStateRecord[] = [];
      for (const t of instances.values()) {
        if (states && !states.has(t.record.state)) continue;
        if (instanceMatches(t.raw)) out.push(t.record);
      }
      return out.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
    },
  };
}
