import {
  DescribeInstanceStatusCommand,
  type DescribeInstanceStatusCommandInput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  type Reservation,
} from '@aws-sdk/client-ec2';
import { compileInstanceFilters, type InstancePredicate } from '../source/instance-filter';
import type { StateSource } from '../source/state-source';
import type { SendOnly } from './sdk-waiter';
import { instanceStatusFromView } from './status-reader';

/**
 * A `send` that answers DescribeInstances from the shared source's view (its latest read, plus what
 * write-through and push told since), so instance waiters add no polls of their own. It falls back to
 * the real call when the view cannot answer faithfully: no view read since `notBefore`, a filter the
 * stream cannot evaluate, or an instance id it has not seen (AWS's answer, possibly
 * InvalidInstanceID.NotFound, is then the right one).
 * DescribeInstanceStatus is answered the same way from the source's status read (status-reader.ts); when
 * that shared read failed, its error is this attempt's error, as the waiter's own call would have had.
 */
export function sourceReader(
  source: StateSource,
  upstream: SendOnly,
  notBefore = Number.NEGATIVE_INFINITY,
): SendOnly & { readonly cacheHits: number } {
  let cacheHits = 0;
  return {
    get cacheHits() {
      return cacheHits;
    },
    async send(command, options) {
      // A view older than `notBefore` (the waiter's start) answers nothing: no verdict from the past.
      const latest = source.current();
      const view = latest && latest.readAt >= notBefore ? latest : undefined;
      if (view && command instanceof DescribeInstanceStatusCommand) {
        const input = command.input as DescribeInstanceStatusCommandInput;
        if (view.statusError !== undefined && !view.statuses) throw view.statusError;
        const output = instanceStatusFromView(view, input);
        if (!output) return upstream.send(command, options);
        cacheHits++;
        return output;
      }
      if (!(command instanceof DescribeInstancesCommand) || !view) return upstream.send(command, options);
      const input = command.input as DescribeInstancesCommandInput;
      let matches: InstancePredicate;
      try {
        matches = compileInstanceFilters(input.Filters);
      } catch {
        return upstream.send(command, options);
      }
      const ids = input.InstanceIds?.length ? input.InstanceIds : undefined;
      if (ids?.some((id) => !view.instances.has(id))) return upstream.send(command, options);
      const byReservation = new Map<string, Reservation>();
      for (const t of ids ? ids.map((id) => view.instances.get(id)!) : view.instances.values()) {
        if (!matches(t.raw)) continue;
        const key = t.reservation.ReservationId ?? t.record.instanceId;
        let r = byReservation.get(key);
        if (!r) {
          r = { ...t.reservation, Instances: [] };
          byReservation.set(key, r);
        }
        r.Instances!.push(t.raw);
      }
      cacheHits++;
      return { Reservations: [...byReservation.values()], $metadata: {} };
    },
  };
}
