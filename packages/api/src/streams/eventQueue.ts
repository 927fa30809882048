/**
 * A subscriber's inbox between the source's synchronous fan-out and the async generator that yields to
 * SSE. Bounded: a subscriber that cannot keep up is told so (overflow) instead of growing without limit.
 */
export class EventQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;
  overflowed = false;

  constructor(private readonly limit: number) {}

  push(item: T): void {
    if (this.items.length >= this.limit) {
      this.overflowed = true;
      this.items = [];
    } else {
      this.items.push(item);
    }
    this.wake?.();
  }

  /** Takes everything queued, waiting until there is something or `signal` aborts (then returns []). */
  async take(signal: AbortSignal): Promise<T[]> {
    while (this.items.length === 0 && !this.overflowed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    const out = this.items;
    this.items = [];
    return signal.aborted ? [] : out;
  }
}
