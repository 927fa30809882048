import { findOperation, type ServiceName, type ValidationIssue } from '@aws-trpc/shared';

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
  if (Array.isArray(value)) return `[REDACTED ${value.length} items]`;
  return '[REDACTED]';
}

const lowerCased = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

/** The names in lower case: `userData` or `USERDATA` is redacted like `UserData`. */
function lower(secrets: ReadonlySet<string>): ReadonlySet<string> {
  let set = lowerCased.get(secrets);
  if (!set) {
    set = new Set([...secrets].map((s) => s.toLowerCase()));
    lowerCased.set(secrets, set);
  }
  return set;
}

/**
 * A copy of `value` in which every member named in `secrets` (in any case), at any depth, is replaced
 * by a marker. Bounded in depth so hostile input cannot blow the stack of a log call.
 */
export function redact(value: unknown, secrets: ReadonlySet<string>, depth = 0): unknown {
  return redactWalk(value, lower(secrets), undefined, depth);
}

/**
 * `redact`, and also every value the validator refused (each issue's path: a misspelled `userData`, a
 * wrong type, a list too long): what the validator would not accept is never logged as it came.
 */
export function redactInvalid(
  value: unknown,
  secrets: ReadonlySet<string>,
  issues: readonly ValidationIssue[],
): unknown {
  const refused: Trie = new Map();
  for (const issue of issues) {
    let node = refused;
    for (const part of issue.path) {
      const key = String(part);
      let next = node.get(key);
      if (next === true) break;
      if (!next) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    // The last part refuses the whole value there (an empty path: the input itself).
    if (issue.path.length === 0) return redactedMarker(value);
  }
  markLeaves(refused);
  return redactWalk(value, lower(secrets), refused, 0);
}

type Trie = Map<string, Trie | true>;

/** Turns the empty maps at the end of each issue path into `true`: redact everything there. */
function markLeaves(node: Trie): void {
  for (const [k, v] of node) {
    if (v === true) continue;
    if (v.size === 0) node.set(k, true);
    else markLeaves(v);
  }
}

function redactWalk(
  value: unknown,
  secrets: ReadonlySet<string>,
  refused: Trie | undefined,
  depth: number,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return '[TOO DEEP]';
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) return redactedMarker(value);
  const child = (key: string, v: unknown): unknown => {
    const r = refused?.get(key);
    if (r === true) return redactedMarker(v);
    return redactWalk(v, secrets, r, depth + 1);
  };
  if (Array.isArray(value)) return value.map((v, i) => child(String(i), v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, {
      value: secrets.has(k.toLowerCase()) ? redactedMarker(v) : child(k, v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
