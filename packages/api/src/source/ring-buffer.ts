/**
 * A bounded buffer of events with increasing sequence numbers. The oldest entries drop off when it is
 * full; `since(seq)` says whether it still holds everything after `seq`, so a resume is exact or a resync.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** The sequence number of the newest entry; 0 before the first. */
  private lastSeq = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer`);
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The sequence number the next push gets minus one: the cursor that means "up to now". */
  get head(): number {
    return this.lastSeq;
  }

  /** Appends and returns the entry's sequence number. */
  push(item: T): number {
    const index = (this.start + this.count) % this.capacity;
    this.items[index] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.lastSeq++;
    return this.lastSeq;
  }

  /**
   * The entries after `seq`, oldest first, or undefined when some of them have already dropped off
   * (or `seq` is from the future).
   */
  since(seq: number): { seq: number; item: T }[] | undefined {
    if (!Number.isInteger(seq) || seq > this.lastSeq) return undefined;
    const oldest = this.lastSeq - this.count + 1;
    if (seq < oldest - 1) return undefined;
    const out: { seq: number; item: T }[] = [];
    for (let s = seq + 1; s <= this.lastSeq; s++) {
      const item = this.items[(this.start + (s - oldest)) % this.capacity] as T;
      out.push({ seq: s, item });
    }
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
