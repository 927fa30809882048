import type { InstanceStatus } from '@aws-sdk/client-ec2';
import type { SourceEntry } from './event-log';
import type { TrackedInstance } from './instance-record';

export type { SourceEntry } from './event-log';

/** What a source knows: every instance it sees, and the cursor the log is at for this view. */
export interface SourceView {
  /** `<epoch>.<seq>`: resuming from it replays exactly what came after this view. */
  cursor: string;
  seq: number;
  /** When the latest full read started (ms): the view is at least this fresh. */
  readAt: number;
  /** When the view last changed or was confirmed (ms), for the snapshot's `observedAt`. */
  observedAt: number;
  instances: ReadonlyMap<string, TrackedInstance>;
  /**
   * The status checks of the latest read (DescribeInstanceStatus with IncludeAllInstances), by InstanceId.
   * Only while a listener `needs: 'status'`; otherwise undefined.
   */
  statuses?: ReadonlyMap<string, InstanceStatus>;
  /** What the status read of that read threw instead; the status waiters see it as their attempt's error. */
  statusError?: unknown;
}

export interface SourceListener {
  /** Every logged event, in order. */
  onEntry?(entry: SourceEntry): void;
  /** After every successful full read, changed or not (waiters count their attempts by it). */
  onRead?(view: SourceView): void;
  /** 'status': this listener reads `view.statuses`, so the source reads the status checks too while it listens. */
  needs?: 'status';
  /**
   * The instance ids this listener follows: the source reads fast only while one of them is in
   * transition. Absent: every instance (a filter may select by state or tags, which change).
   */
  watches?: ReadonlySet<string>;
}

/**
 * The instance states of one (region, credential identity), shared by all its subscribers and waiters.
 * Fed by its own reads (DescribeInstances), the gateway's own calls (write-through) and, when
 * configured, EventBridge's state-change events through SQS (push).
 */
export interface StateSource {
  readonly epoch: string;
  /** The view since reading (re)started; undefined until the first read of this life is done. */
  current(): SourceView | undefined;
  /** The entries after `cursor`, or undefined when they are no longer all kept (or another epoch's). */
  since(cursor: string): SourceEntry[] | undefined;
  /** The first listener starts the feeds; when the last one leaves, they stop. Returns the unlisten. */
  listen(listener: SourceListener): () => void;
  /**
   * Makes `since(cursor)` able to answer a cursor older than this process's memory (replicas: read it
   * from the shared log). Absent where the memory is the whole log.
   */
  prepareResume?(cursor: string): Promise<void>;
  /** Reads upstream now (coalesced with a read in flight). */
  refresh(): Promise<void>;
  /**
   * Resolves once a full read that started at or after `time` is done (coalesced: one read serves
   * everyone who asks meanwhile), so no verdict is taken from a view older than its question.
   */
  readSince(time: number): Promise<void>;
  readonly listenerCount: number;
}
