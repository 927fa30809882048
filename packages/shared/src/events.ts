/**
 * The events of the live streams and the waiters, as both the gateway and the client read them.
 * Times are ISO-8601 strings so the shapes survive any transformer (or none).
 */

/** EC2's instance state names: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html */
export type InstanceStateName =
  | 'pending'
  | 'running'
  | 'shutting-down'
  | 'terminated'
  | 'stopping'
  | 'stopped';

/** What the stream tells about one instance. */
export interface InstanceStateRecord {
  instanceId: string;
  state: InstanceStateName;
  stateReason?: string;
  instanceType?: string;
  availabilityZone?: string;
  tags: Record<string, string>;
}

/** The matching instances as of `observedAt`; first event of a subscription when `snapshot` is true. */
export interface InstanceSnapshotEvent {
  type: 'snapshot';
  observedAt: string;
  instances: InstanceStateRecord[];
}

/**
 * One observed transition. `previousState` is the state this stream last told of the instance (null
 * when the instance first appears), so it stays true even when a read coalesced a short transition.
 */
export interface InstanceChangeEvent extends InstanceStateRecord {
  type: 'change';
  previousState: InstanceStateName | null;
  /** When the new state was true: the event's time, AWS's answer, or the start of the read that saw it. */
  observedAt: string;
  /**
   * How the gateway learned of it: `write-through` (a call made through the gateway, as AWS answered),
   * `push` (EventBridge's state-change event, through SQS) or `poll` (its own DescribeInstances).
   */
  source: 'write-through' | 'push' | 'poll';
}

/**
 * Sent instead of a replay when the resume cursor is older than the buffer (or the source restarted):
 * a fresh snapshot, so loss is never silent.
 */
export interface InstanceResyncEvent {
  type: 'resync';
  reason: 'cursor-expired' | 'source-restarted';
  observedAt: string;
  instances: InstanceStateRecord[];
}

/** Health of the upstream reader. `degraded` while DescribeInstances fails; `recovered` once it works again. */
export interface StreamStatusEvent {
  type: 'status';
  status: 'degraded' | 'recovered';
  observedAt: string;
  error?: { code: string; message: string };
  /** When degraded: the backoff before the next attempt. */
  retryInMs?: number;
}

export type InstanceStateEvent =
  | InstanceSnapshotEvent
  | InstanceChangeEvent
  | InstanceResyncEvent
  | StreamStatusEvent;

/** The states a waiter currently sees, for example instance id → state name. */
export type WaiterObserved = Record<string, string>;

export interface WaiterProgressEvent {
  type: 'progress';
  /** 1 for the first read. */
  attempt: number;
  elapsedMs: number;
  observed: WaiterObserved;
  /** The last error of this attempt, when the read failed with a retryable error. */
  error?: { code: string; message: string };
}

export type WaiterResultEvent<TOutput = unknown> =
  | { type: 'result'; outcome: 'success'; output: TOutput; attempt: number; elapsedMs: number }
  | {
      type: 'result';
      outcome: 'failure';
      /** Why: a terminal state (e.g. `i-1: terminated`) or a non-retryable error code. */
      reason: string;
      observed: WaiterObserved;
      error?: { code: string; message: string };
      attempt: number;
      elapsedMs: number;
    }
  | {
      type: 'result';
      outcome: 'timeout';
      lastObserved: WaiterObserved;
      lastError?: { code: string; message: string };
      attempt: number;
      elapsedMs: number;
    }
  | { type: 'result'; outcome: 'aborted'; attempt: number; elapsedMs: number };

export type WaiterEvent<TOutput = unknown> = WaiterProgressEvent | WaiterResultEvent<TOutput>;

/** Options every waiter accepts beside its operation's input. */
export interface WaiterOptions {
  /** Upper bound of the whole wait. Default 600 s, at most 3600 s. */
  maxWaitSeconds?: number;
  /** First delay between reads (it grows with jitter up to maxDelaySeconds). Default 2 s. */
  minDelaySeconds?: number;
  /** Largest delay between reads. Default 30 s. */
  maxDelaySeconds?: number;
}
