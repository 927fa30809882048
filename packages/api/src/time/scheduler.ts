/**
 * Time as the streams and waiters see it. Everything that waits goes through a Scheduler, so tests drive
 * polls and waiter delays with a virtual clock instead of sleeping.
 */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => unknown, ms: number): () => void;
}

/** Node timers. Unref'd: a pending poll never keeps a process alive on its own. */
export function realScheduler(): Scheduler {
  return {
    now: () => Date.now(),
    schedule(fn, ms) {
      const timer = setTimeout(fn, ms);
      timer.unref?.();
      return () => clearTimeout(timer);
    },
  };
}

/** A clock a test can move, such as the emulator's virtual clock. */
export interface MovableClock {
  now(): number;
  advance(ms: number): void;
}

export interface VirtualScheduler extends Scheduler {
  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on the way, in order, and
   * awaiting what each returns (a poll returns its promise), so the work is done when this resolves.
   */
  advance(ms: number): Promise<void>;
  /** Timers not yet fired; a leak test reads it. */
  readonly pending: number;
}

interface VirtualTimer {
  due: number;
  seq: number;
  fn: () => unknown;
}

const maxFiringsPerAdvance = 100_000;

/** A scheduler on a movable clock; with the emulator's clock, upstream state and our timers move together. */
export function virtualScheduler(clock: MovableClock): VirtualScheduler {
  const timers = new Set<VirtualTimer>();
  let seq = 0;
  const next = (limit: number): VirtualTimer | undefined => {
    let best: VirtualTimer | undefined;
    for (const t of timers) {
      if (t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  };
  return {
    now: () => clock.now(),
    schedule(fn, ms) {
      const timer: VirtualTimer = { due: clock.now() + Math.max(0, ms), seq: seq++, fn };
      timers.add(timer);
      return () => {
        timers.delete(timer);
      };
    },
    get pending() {
      return timers.size;
    },
    async advance(ms) {
      const target = clock.now() + ms;
      for (let i = 0; i < maxFiringsPerAdvance; i++) {
        const timer = next(target);
        if (!timer) break;
        timers.delete(timer);
        if (timer.due > clock.now()) clock.advance(timer.due - clock.now());
        await timer.fn();
      }
      if (target > clock.now()) clock.advance(target - clock.now());
    },
  };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. Leaves no timer or listener behind. */
export function sleep(scheduler: Scheduler, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      cancel();
      resolve(false);
    };
    const cancel = scheduler.schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
