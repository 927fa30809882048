/**
 * A subscriber's inbox between the source's synchronous fan-out and the async generator that yields to
 * SSE. Bounded: a subscriber that cannot keep up is told so (overflow) instead of growing without limit.
 *
 * It sits on the per-event, per-subscriber path (1,000 subscribers: 1,000 wake-ups per change), so a wait
 * allocates only its promise: the abort listener is added once per signal, not once per wait.
 */
export class EventQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;
  private watched: AbortSignal | undefined;
  overflowed = false;

  constructor(private readonly limit: number) {}

  push(item: T): void {
    if (this.items.length >= this.limit) {
      this.overflowed = true;
      this.items = [];
    } else {
      this.items.push(item);
    }
    this.resume();
  }

  /** Takes everything queued, waiting until there is something or `signal` aborts (then returns []). */
  async take(signal: AbortSignal): Promise<T[]> {
    if (this.watched !== signal) {
      this.watched = signal;
      signal.addEventListener('abort', () => this.resume(), { once: true });
    }
    while (this.items.length === 0 && !this.overflowed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const out = this.items;
    this.items = [];
    return signal.aborted ? [] : out;
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
