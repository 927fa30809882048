import type { InstanceStateName } from '@aws-trpc/shared';

/**
 * EC2's instance lifecycle, as the sources need it to order what they hear.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 */

/** The state codes EC2 pairs with each name (InstanceState.Code). */
export const stateCodes: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** States in which an instance changes by itself soon, so the source reads it again soon. */
export const transitionalStates: ReadonlySet<string> = new Set(['pending', 'stopping', 'shutting-down']);

/** Where each state can go next (a reboot stays `running`; terminate is allowed from any live state). */
const successors: Readonly<Record<InstanceStateName, readonly InstanceStateName[]>> = {
  pending: ['running', 'shutting-down'],
  running: ['stopping', 'shutting-down'],
  stopping: ['stopped', 'shutting-down'],
  stopped: ['pending', 'shutting-down'],
  'shutting-down': ['terminated'],
  terminated: [],
};

/** Whether `to` can follow `from` within `steps` transitions. */
export function follows(from: InstanceStateName, to: InstanceStateName, steps = 2): boolean {
  let frontier: readonly InstanceStateName[] = [from];
  for (let i = 0; i < steps; i++) {
    const next = frontier.flatMap((s) => successors[s]);
    if (next.includes(to)) return true;
    frontier = next;
  }
  return false;
}

export function isStateName(value: unknown): value is InstanceStateName {
  return typeof value === 'string' && value in stateCodes;
}

/**
 * Two observations of one instance closer than this are "the same moment": EventBridge stamps events
 * to the second, and the gateway's own clock stamps what it reads.
 */
export const sameMomentMs = 1_000;

export interface Observed {
  state: InstanceStateName;
  /** When it was true (ms): a transition's event time, an answer's arrival, a read's start. */
  at: number;
}

/**
 * Whether `incoming` replaces `current` as the instance's state: not the same state again (no
 * duplicate), never a state the lifecycle cannot reach (nothing after `terminated`), never a clearly
 * older observation; within the same moment the lifecycle decides (`stopped` may follow `running`
 * there, `pending` may not).
 */
export function supersedes(current: Observed, incoming: Observed): boolean {
  if (incoming.state === current.state) return false;
  // Nothing comes back from shutting-down or terminated, whatever a clock says.
  if (!follows(current.state, incoming.state, 4)) return false;
  if (incoming.at + sameMomentMs <= current.at) return false;
  if (incoming.at >= current.at + sameMomentMs) return true;
  return follows(current.state, incoming.state);
}
