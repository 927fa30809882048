import type { Instance, InstanceStatus } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, StreamStatusEvent } from '@aws-trpc/shared';
import type { TrackedInstance } from './instance-record';

/** What a source knows after a read: every instance it sees, and the cursor that read left the buffer at. */
export interface SourceView {
  /** `<epoch>.<seq>`: resuming from it replays exactly what came after this view. */
  cursor: string;
  seq: number;
  observedAt: number;
  instances: ReadonlyMap<string, TrackedInstance>;
  /**
   * The status checks of that read (DescribeInstanceStatus with IncludeAllInstances), by InstanceId. Only
   * while a listener `needs: 'status'`; a source that cannot tell (or was not asked) leaves it undefined.
   */
  statuses?: ReadonlyMap<string, InstanceStatus>;
  /** What the status read of that read threw instead; the status waiters see it as their attempt's error. */
  statusError?: unknown;
}

/** One buffered event. `before`/`after` are the SDK's instances, kept so subscribers' filters can read them. */
export interface SourceEntry {
  seq: number;
  id: string;
  event: InstanceChangeEvent | StreamStatusEvent;
  before?: Instance;
  after?: Instance;
}

export interface SourceListener {
  /** Every buffered event, in order. */
  onEntry?(entry: SourceEntry): void;
  /** After every successful read, changed or not (waiters count their attempts by it). */
  onRead?(view: SourceView): void;
  /** 'status': this listener reads `view.statuses`, so the source reads the status checks too while it listens. */
  needs?: 'status';
  /**
   * The instance ids this listener follows: the source polls fast only while one of them is in
   * transition. Absent: every instance (a filter may select by state or tags, which change).
   */
  watches?: ReadonlySet<string>;
}

/**
 * The instance states of one (region, credential identity), shared by all its subscribers and waiters.
 * The polling source implements it today; a push source (EventBridge through SQS) can replace it
 * without touching the subscription or the waiters.
 */
export interface StateSource {
  readonly epoch: string;
  /** The view of the latest read since reading (re)started; undefined until there is one. */
  current(): SourceView | undefined;
  /** The entries after `cursor`, or undefined when they are no longer all buffered (or another epoch's). */
  since(cursor: string): SourceEntry[] | undefined;
  /** The first listener starts reading; when the last one leaves, reading stops. Returns the unlisten. */
  listen(listener: SourceListener): () => void;
  /** Reads upstream now (coalesced with a read in flight). */
  refresh(): Promise<void>;
  readonly listenerCount: number;
}
