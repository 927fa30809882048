/**
 * When the source reads DescribeInstances next. A pure policy, so its rules read in one place:
 * - after failed reads, back off exponentially (from the fast interval up to maxBackoffMs);
 * - while a followed instance is in transition, or a status waiter's checks are initializing, read fast;
 * - at rest, read slowly; while the push source is healthy, only reconcile (events carry the changes),
 *   except that status checks, which no event announces, are still read fast when a waiter needs them.
 */

export interface PollTiming {
  /** While a followed instance is pending, stopping or shutting-down. */
  fastIntervalMs: number;
  /** At rest, without a push source (and as the push source's guard during transitions). */
  slowIntervalMs: number;
  /** At rest while the push source is healthy: for lost events and instances never announced. */
  reconcileIntervalMs: number;
  /** The longest backoff after upstream errors. */
  maxBackoffMs: number;
}

export interface PollSituation {
  /** Consecutive failed reads. */
  failures: number;
  /** A followed instance is in a transitional state. */
  transitioning: boolean;
  /** A status listener's instance has status checks still initializing. */
  statusesPending: boolean;
  /** The push source is configured and its last receive worked. */
  pushHealthy: boolean;
}

export function nextReadDelay(t: PollTiming, s: PollSituation): number {
  if (s.failures > 0) return Math.min(t.maxBackoffMs, t.fastIntervalMs * 2 ** (s.failures - 1));
  if (s.statusesPending) return t.fastIntervalMs;
  if (s.pushHealthy) return s.transitioning ? t.slowIntervalMs : t.reconcileIntervalMs;
  return s.transitioning ? t.fastIntervalMs : t.slowIntervalMs;
}
