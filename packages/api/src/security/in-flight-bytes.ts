/**
 * Request bytes being received or handled, per token: one token sending many large bodies at once
 * cannot hold the gateway's memory and CPU (JSON parsing) for everyone else. A body is counted from
 * the moment its headers arrive until its response ends; one that does not fit is refused before a
 * byte of it is read.
 */
export interface InFlightBytes {
  /** Reserves `bytes` for `key`; the release (idempotent), or undefined when `max` would be exceeded. */
  reserve(key: string, bytes: number, max: number): (() => void) | undefined;
  /** Bytes held by `key` now (tests, metrics). */
  held(key: string): number;
}

export function createInFlightBytes(): InFlightBytes {
  const held = new Map<string, number>();
  return {
    reserve(key, bytes, max) {
      const now = held.get(key) ?? 0;
      // A single body above the budget could never pass; it is refused like any other overflow.
      if (now + bytes > max) return undefined;
      held.set(key, now + bytes);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(key) ?? bytes) - bytes;
        if (left > 0) held.set(key, left);
        else held.delete(key);
      };
    },
    held: (key) => held.get(key) ?? 0,
  };
}
