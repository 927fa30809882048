import type { Instance, Reservation } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, StreamStatusEvent } from '@aws-trpc/shared';
import { formatCursor, newEpoch, parseCursor } from './cursor';
import { RingBuffer } from './ring-buffer';

/** One logged event. `before`/`after` are the SDK's instances, kept so subscribers' filters can read them. */
export interface SourceEntry {
  seq: number;
  /** The resume cursor of this event: `<epoch>.<seq>`, the `tracked()` id. */
  id: string;
  event: InstanceChangeEvent | StreamStatusEvent;
  before?: Instance;
  after?: Instance;
  /** The reservation of `after` (the shared log carries it, so other replicas answer DescribeInstances). */
  reservation?: Omit<Reservation, 'Instances'>;
  /**
   * Told by this replica alone (its link to the shared log failed or came back), outside the log: it
   * has no id of its own, so a subscriber gets it untracked.
   */
  local?: boolean;
}

export type NewEntry = Omit<SourceEntry, 'seq' | 'id'>;

/**
 * The event log of one state source: ids that increase, and a bounded memory of the latest events, so
 * a cursor resumes exactly or is known to be too old. This one lives in the process (a ring buffer).
 */
export class EventLog {
  /** One life of the log: a cursor of another epoch (an earlier process) is recognised as such. */
  readonly epoch: string;
  private readonly buffer: RingBuffer<SourceEntry>;

  constructor(capacity: number, now: number) {
    this.epoch = newEpoch(now);
    this.buffer = new RingBuffer(capacity);
  }

  /** The sequence number of the newest entry; 0 before the first. */
  get head(): number {
    return this.buffer.head;
  }

  get size(): number {
    return this.buffer.size;
  }

  cursorAt(seq: number): string {
    return formatCursor(this.epoch, seq);
  }

  append(entry: NewEntry): SourceEntry {
    const seq = this.buffer.head + 1;
    const logged: SourceEntry = { ...entry, seq, id: formatCursor(this.epoch, seq) };
    this.buffer.push(logged);
    return logged;
  }

  /** The entries after `cursor`, or undefined when they are no longer all kept (or another epoch's). */
  since(cursor: string): SourceEntry[] | undefined {
    const c = parseCursor(cursor);
    if (!c || c.epoch !== this.epoch) return undefined;
    return this.buffer.since(c.seq)?.map((e) => e.item);
  }

  clear(): void {
    this.buffer.clear();
  }
}
