/** What a redacted value becomes: its kind and size, never its content. */
export function redactedMarker(value: unknown): string {
  if (typeof value === 'string') return `[REDACTED ${value.length} chars]`;
  if (value instanceof Uint8Array) return `[REDACTED ${value.byteLength} bytes]`;
  return '[REDACTED]';
}

/**
 * A copy of `value` in which every member named in `secrets`, at any depth, is replaced by a marker.
 * Bounded in depth so hostile input cannot blow the stack of a log call.
 */
export function redact(value: unknown, secrets: ReadonlySet<string>, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return '[TOO DEEP]';
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) return redactedMarker(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, {
      value: secrets.has(k) ? redactedMarker(v) : redact(v, secrets, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
