/**
 * The emulator's notion of "now". All lifecycle state (instance transitions, ELB health) is derived
 * lazily from `now()`, so a virtual clock only has to move a number: there are no timers to flush.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Moves a virtual clock forward. A real clock rejects this. */
  advance(ms: number): void;
  readonly kind: 'real' | 'virtual';
}

export function realClock(): Clock {
  return {
    kind: 'real',
    now: () => Date.now(),
    advance: () => {
      throw new Error('advance() needs a virtual clock: start the emulator with { clock: "virtual" }');
    },
  };
}

export function virtualClock(start = Date.UTC(2026, 0, 1)): Clock {
  let t = start;
  return {
    kind: 'virtual',
    now: () => t,
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a non-negative number, got ${ms}`);
      t += ms;
    },
  };
}
