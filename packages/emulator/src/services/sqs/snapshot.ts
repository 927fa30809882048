import type { EmulatorEnv } from '../../core/env';
import type { Region } from '../../core/types';
import { counts, longPolls, sqsState } from './queue-state';

export interface QueueSnapshot {
  region: string;
  name: string;
  arn: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** Long polls waiting on this queue now. */
  waiting: number;
}

/** The queues of the given regions as they stand, and every pending long poll, for the control API. */
export function sqsSnapshot(
  env: EmulatorEnv,
  regions: Iterable<Region>,
): { queues: QueueSnapshot[]; waiting: number } {
  const queues: QueueSnapshot[] = [];
  for (const region of regions) {
    for (const q of sqsState(region).queues.values())
      queues.push({
        region: region.name,
        name: q.name,
        arn: q.arn,
        ...counts(q, env.clock.now()),
        waiting: q.waiters.size,
      });
  }
  return { queues, waiting: longPolls(env).waiters.size };
}
