import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, `Date` as ISO-8601, bytes as base64, `undefined` members
 * dropped. Two inputs that mean the same thing get the same digest whatever their key order.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > 64) throw new RangeError('input nests too deeply to digest');
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? JSON.stringify(value.toString()) : (JSON.stringify(value) ?? 'null');
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`).join(',')}}`;
}

/**
 * `sha256:<hex>` of the canonical JSON of an input. The audit line carries this instead of the input,
 * so it can prove which request ran without holding UserData or key material.
 */
export function inputDigest(input: unknown): string {
  let text: string;
  try {
    text = canonicalJson(input);
  } catch {
    text = '"<undigestible>"';
  }
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
