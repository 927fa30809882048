/**
 * The wire transformer of gateway and client: keeps `Date` and `Uint8Array` true in both directions
 * (LaunchTime in outputs, PublicKeyMaterial in importKeyPair's input).
 *
 * A hand-rolled walk, picked over superjson and devalue because it was the fastest on a 500-instance
 * DescribeInstances output (numbers in docs/ARCHITECTURE.md, `tsx packages/api/test/helpers/measure-transformers.ts`).
 * Values are never tagged in place, so no key of AWS data can collide with a tag: the payload is
 * `{ j: json }` plus, when the value holds any Date or bytes, `m: [[path, 'D' | 'B'], ...]`.
 * Dates travel as epoch milliseconds, bytes as base64.
 */

type Path = (string | number)[];
type Tag = 'D' | 'B';
type Marks = [Path, Tag][];

export interface WirePayload {
  j: unknown;
  m?: Marks;
}

/** Deep walks are bounded: AWS shapes nest a dozen levels at most. */
const maxDepth = 100;

function encode(value: unknown, path: Path, marks: Marks, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > maxDepth) throw new Error('transformer: value nests too deeply');
  if (value instanceof Date) {
    marks.push([path.slice(), 'D']);
    return value.getTime();
  }
  if (value instanceof Uint8Array) {
    marks.push([path.slice(), 'B']);
    return toBase64(value);
  }
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out[i] = encode(value[i], path, marks, depth + 1);
      path.pop();
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    path.push(key);
    const encoded = encode(v, path, marks, depth + 1);
    // An own `__proto__` key (JSON.parse makes them) stays a key, for the gateway's validator to refuse;
    // assigning it would set the prototype and drop it silently.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: encoded,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = encoded;
    path.pop();
  }
  return out;
}

// The client may run in a browser, where Buffer is absent.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Marks come from the network: only own properties are followed, so `__proto__` cannot be reached. */
function decodeAt(root: { j: unknown }, path: Path, tag: Tag): void {
  let parent: Record<string | number, unknown> = root as Record<string, unknown>;
  let key: string | number = 'j';
  for (const step of path) {
    const next = parent[key];
    if (next === null || typeof next !== 'object') return;
    parent = next as Record<string | number, unknown>;
    key = step;
    if (!Object.hasOwn(parent, key)) return;
  }
  const raw = parent[key];
  if (tag === 'D') parent[key] = new Date(typeof raw === 'number' ? raw : Number.NaN);
  else if (typeof raw === 'string') parent[key] = fromBase64(raw);
}

export function serialize(value: unknown): WirePayload | undefined {
  // tRPC sends no input at all for `undefined`; keep it that way.
  if (value === undefined) return undefined;
  const marks: Marks = [];
  const j = encode(value, [], marks, 0);
  return marks.length === 0 ? { j } : { j, m: marks };
}

export function deserialize(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || !('j' in payload)) return payload;
  const { j, m } = payload as WirePayload;
  const root = { j };
  if (Array.isArray(m)) {
    for (const mark of m) {
      if (Array.isArray(mark) && Array.isArray(mark[0]) && (mark[1] === 'D' || mark[1] === 'B')) {
        decodeAt(root, mark[0], mark[1]);
      }
    }
  }
  return root.j;
}

/** tRPC's DataTransformer shape: pass as `transformer` to initTRPC and to every client link. */
export const transformer = { serialize, deserialize };
