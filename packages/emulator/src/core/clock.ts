/**
 * The emulator's notion of "now". Lifecycle state (instance transitions, ELB health, SQS visibility)
 * is derived lazily from `now()`. What must happen at a moment whether or not anyone reads (an
 * EventBridge event at an instance transition, the end of a long poll) is a timer on this clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Moves a virtual clock forward, firing the timers that fall due on the way, in time order and
   * synchronously: each runs with `now()` at its own time. A real clock rejects this.
   */
  advance(ms: number): void;
  /**
   * Calls `fn` once the clock reaches `at` (ms since the epoch); answers a function that cancels it.
   * A real clock uses an unref'd timer (it never holds the process open); a virtual one fires it
   * inside `advance()`, including a timer already due when it was set (at the next advance).
   */
  setTimer(at: number, fn: () => void): () => void;
  readonly kind: 'real' | 'virtual';
}

/** setTimeout's ceiling (about 24.8 days); longer waits are re-armed. */
const maxTimeout = 2 ** 31 - 1;

export function realClock(): Clock {
  return {
    kind: 'real',
    now: () => Date.now(),
    advance: () => {
      throw new Error('advance() needs a virtual clock: start the emulator with { clock: "virtual" }');
    },
    setTimer(at, fn) {
      let handle: NodeJS.Timeout | undefined;
      const arm = () => {
        const wait = at - Date.now();
        if (wait <= 0) {
          handle = undefined;
          fn();
          return;
        }
        handle = setTimeout(arm, Math.min(wait, maxTimeout));
        handle.unref();
      };
      handle = setTimeout(arm, Math.max(0, Math.min(at - Date.now(), maxTimeout)));
      handle.unref();
      return () => {
        if (handle) clearTimeout(handle);
        handle = undefined;
      };
    },
  };
}

interface VirtualTimer {
  at: number;
  fn: () => void;
}

export function virtualClock(start = Date.UTC(2026, 0, 1)): Clock {
  let t = start;
  // Few timers are pending at once (one per transition in flight, one per long poll): a sorted
  // array is simpler than a heap and fast enough.
  const timers: VirtualTimer[] = [];
  return {
    kind: 'virtual',
    now: () => t,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance(ms) needs a non-negative number, got ${ms}`);
      const target = t + ms;
      // A timer set by a callback for a moment up to `target` fires in this same advance.
      while (timers.length > 0 && timers[0]!.at <= target) {
        const timer = timers.shift()!;
        t = Math.max(t, timer.at);
        timer.fn();
      }
      t = target;
    },
    setTimer(at, fn) {
      const timer: VirtualTimer = { at, fn };
      // After every timer due at the same moment: ties fire in the order they were set.
      let i = timers.length;
      while (i > 0 && timers[i - 1]!.at > at) i--;
      timers.splice(i, 0, timer);
      return () => {
        const j = timers.indexOf(timer);
        if (j >= 0) timers.splice(j, 1);
      };
    },
  };
}
