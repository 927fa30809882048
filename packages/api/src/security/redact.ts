import { findOperation, type ServiceName } from '@aws-trpc/shared';

const noSecrets: ReadonlySet<string> = new Set();
const secretSets = new Map<string, ReadonlySet<string>>();

/**
 * Member names, at any depth of an operation's input or output, that must never be logged: the
 * catalog's `secrets` (members with the Smithy `sensitive` trait, such as RunInstances' UserData, and
 * the secrets the SDK does not mark, such as ImportKeyPair's PublicKeyMaterial).
 */
export function secretMembers(service: ServiceName, operation: string): ReadonlySet<string> {
  const key = `${service}:${operation}`;
  let set = secretSets.get(key);
  if (!set) {
    const secrets = findOperation(service, operation)?.secrets;
    set = secrets?.length ? new Set(secrets) : noSecrets;
    secretSets.set(key, set);
  }
  return set;
}

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
