import type { Clock } from './clock';
import type { Region } from './types';

/** Something an emulator holds that must let go on reset and close (pending long polls, held deliveries). */
export interface Disposable {
  dispose(): void;
}

/**
 * What the regions of one emulator share: timers on its clock, the other regions (EventBridge
 * delivers to a queue by its ARN, in any region), and emulator-wide slots. `control.reset()` and
 * `close()` cancel every timer and dispose every slot.
 */
export class EmulatorEnv {
  private readonly cancels = new Set<() => void>();
  private readonly slots = new Map<string, unknown>();

  constructor(
    readonly clock: Clock,
    private readonly regionOf: (name: string) => Region,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {}

  /** Runs `fn` when the clock reaches `at`, unless reset or close comes first. Answers a cancel function. */
  at(at: number, fn: () => void): () => void {
    const cancel = () => {
      this.cancels.delete(cancel);
      cancelTimer();
    };
    const cancelTimer = this.clock.setTimer(at, () => {
      this.cancels.delete(cancel);
      try {
        fn();
      } catch (error) {
        // A timer has no caller to answer; the clock (and advance()) must go on.
        this.log('a scheduled task failed', error);
      }
    });
    this.cancels.add(cancel);
    return cancel;
  }

  region(name: string): Region {
    return this.regionOf(name);
  }

  /** An emulator-wide value, created on first use; disposed (if it can be) on reset. */
  slot<T extends object>(key: string, init: () => T): T {
    let v = this.slots.get(key) as T | undefined;
    if (v === undefined) {
      v = init();
      this.slots.set(key, v);
    }
    return v;
  }

  /** Cancels every timer and disposes every slot. */
  reset(): void {
    for (const cancel of [...this.cancels]) cancel();
    const values = [...this.slots.values()];
    this.slots.clear();
    for (const v of values) (v as Partial<Disposable>).dispose?.();
  }
}

/** A clock whose timers never fire: a Region built on its own (in a unit test) derives state lazily only. */
const inertClock: Clock = {
  kind: 'virtual',
  now: () => 0,
  advance: () => {},
  setTimer: () => () => {},
};

/** The environment of a Region made outside an emulator: no timers, and only itself as a region. */
export function detachedEnv(self: () => Region): EmulatorEnv {
  return new EmulatorEnv(inertClock, (name) => {
    const region = self();
    if (name !== region.name) throw new Error(`a detached region has no neighbour ${name}`);
    return region;
  });
}
