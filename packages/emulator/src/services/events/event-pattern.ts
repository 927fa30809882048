import { invalidEventPattern } from './errors';

/**
 * EventBridge event patterns: compiled once at PutRule (a bad pattern answers
 * InvalidEventPatternException there), then matched against every event.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * A pattern is an object whose leaves are arrays of values or matchers: the fields all match (AND),
 * the array's entries are alternatives (OR), and a field whose value is an array matches when any of
 * its elements does. Supported: exact values (strings, numbers, true, false, null), `prefix`,
 * `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (values, `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`), `numeric`, `exists`, `cidr` (IPv4) and `$or`.
 */
export type EventMatcher = (event: unknown) => boolean;

/** The values of a field across the candidate objects, arrays flattened; undefined when absent. */
type Values = unknown[] | undefined;
type Leaf = (values: Values) => boolean;
type Node = (objects: unknown[]) => boolean;

export function compilePattern(text: string): EventMatcher {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    throw invalidEventPattern('Filter is not valid JSON');
  }
  if (!isObject(pattern)) throw invalidEventPattern('Filter is not an object');
  const root = compileObject(pattern, '');
  return (event) => root([event]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileObject(pattern: Record<string, unknown>, path: string): Node {
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw invalidEventPattern(`Empty objects are not allowed${at(path)}`);
  const tests: Node[] = entries.map(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject))
        throw invalidEventPattern(`$or must be an array of at least 2 objects${at(here)}`);
      const branches = value.map((b) => compileObject(b, path));
      return (objects) => branches.some((b) => b(objects));
    }
    if (Array.isArray(value)) {
      const leaf = compileLeaf(value, here);
      return (objects) => leaf(valuesAt(objects, key));
    }
    if (isObject(value)) {
      const child = compileObject(value, here);
      return (objects) => child((valuesAt(objects, key) ?? []).filter(isObject));
    }
    throw invalidEventPattern(`Match value must be an array or an object${at(here)}`);
  });
  return (objects) => tests.every((t) => t(objects));
}

const at = (path: string) => (path ? ` at ${path}` : '');

function valuesAt(objects: unknown[], key: string): Values {
  let found = false;
  const out: unknown[] = [];
  const push = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) push(x);
    else out.push(v);
  };
  for (const o of objects) {
    if (isObject(o) && Object.hasOwn(o, key)) {
      found = true;
      push(o[key]);
    }
  }
  return found && out.length > 0 ? out : undefined;
}

function compileLeaf(alternatives: unknown[], path: string): Leaf {
  if (alternatives.length === 0) throw invalidEventPattern(`Empty arrays are not allowed${at(path)}`);
  const matchers = alternatives.map((a) => compileMatcher(a, path));
  return (values) => matchers.some((m) => m(values));
}

/** A value test lifted to a field: present, and some value passes. */
const anyValue =
  (test: (v: unknown) => boolean): Leaf =>
  (values) =>
    values?.some(test) === true;

function equalsValue(expected: unknown): (v: unknown) => boolean {
  if (typeof expected === 'number') return (v) => typeof v === 'number' && v === expected;
  return (v) => v === expected;
}

function compileMatcher(m: unknown, path: string): Leaf {
  if (m === null || typeof m === 'string' || typeof m === 'number' || typeof m === 'boolean')
    return anyValue(equalsValue(m));
  if (!isObject(m))
    throw invalidEventPattern(`Match value must be String, number, true, false, or null${at(path)}`);
  const keys = Object.keys(m);
  if (keys.length !== 1) throw invalidEventPattern(`A matcher object has exactly one key${at(path)}`);
  const kind = keys[0]!;
  const arg = m[kind];
  switch (kind) {
    case 'exists':
      if (typeof arg !== 'boolean')
        throw invalidEventPattern(`exists match pattern must be either true or false${at(path)}`);
      return arg ? (values) => values?.some((v) => !isObject(v)) === true : (values) => values === undefined;
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return anyValue(stringTest(kind, arg, path));
    case 'anything-but':
      return anyValue(anythingBut(arg, path));
    case 'numeric':
      return anyValue(numeric(arg, path));
    case 'cidr':
      return anyValue(cidr(arg, path));
    default:
      throw invalidEventPattern(`Unrecognized match type ${kind}${at(path)}`);
  }
}

/** prefix, suffix, equals-ignore-case and wildcard; prefix and suffix may ask to ignore case. */
function stringTest(kind: string, arg: unknown, path: string): (v: unknown) => boolean {
  let text = arg;
  let ignoreCase = kind === 'equals-ignore-case';
  if ((kind === 'prefix' || kind === 'suffix') && isObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case')
      throw invalidEventPattern(`Unsupported ${kind} pattern${at(path)}`);
    text = arg['equals-ignore-case'];
    ignoreCase = true;
  }
  if (typeof text !== 'string')
    throw invalidEventPattern(`${kind} match pattern must be a string${at(path)}`);
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const want = fold(text);
  switch (kind) {
    case 'prefix':
      return (v) => typeof v === 'string' && fold(v).startsWith(want);
    case 'suffix':
      return (v) => typeof v === 'string' && fold(v).endsWith(want);
    case 'equals-ignore-case':
      return (v) => typeof v === 'string' && fold(v) === want;
    default: {
      if (text.includes('**'))
        throw invalidEventPattern(`Consecutive wildcard characters are not allowed${at(path)}`);
      const source = text
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      const re = new RegExp(`^${source}$`, 's');
      return (v) => typeof v === 'string' && re.test(v);
    }
  }
}

function anythingBut(arg: unknown, path: string): (v: unknown) => boolean {
  if (isObject(arg)) {
    const keys = Object.keys(arg);
    const kind = keys[0];
    if (keys.length !== 1 || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(kind!))
      throw invalidEventPattern(`Unsupported anything-but pattern${at(path)}`);
    const inner = arg[kind!];
    const tests = (Array.isArray(inner) ? inner : [inner]).map((x) => stringTest(kind!, x, path));
    if (tests.length === 0) throw invalidEventPattern(`Empty arrays are not allowed${at(path)}`);
    return (v) => typeof v === 'string' && !tests.some((t) => t(v));
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  if (excluded.length === 0) throw invalidEventPattern(`Empty arrays are not allowed${at(path)}`);
  if (!excluded.every((x) => typeof x === 'string' || typeof x === 'number'))
    throw invalidEventPattern(`Inside anything but list, start|null|boolean is not supported${at(path)}`);
  const tests = excluded.map(equalsValue);
  return (v) => !tests.some((t) => t(v));
}

const comparisons: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** `[op, n]` or a range `[">"|">=", lower, "<"|"<=", upper]`, numbers within ±5e9. */
function numeric(arg: unknown, path: string): (v: unknown) => boolean {
  const bad = (why: string) => invalidEventPattern(`${why}${at(path)}`);
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4))
    throw bad('Value of numeric must be an array of 2 or 4 items');
  const conditions: [(a: number, b: number) => boolean, number][] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    const compare = typeof op === 'string' ? comparisons[op] : undefined;
    if (!compare) throw bad(`Unrecognized numeric range operator: ${String(op)}`);
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > 5e9)
      throw bad(`Value of ${op} must be a number between -5.0E9 and 5.0E9 inclusive`);
    conditions.push([compare, n]);
  }
  if (arg.length === 4) {
    const [low, , high] = arg as [string, number, string, number];
    if (!low.startsWith('>') || !high.startsWith('<') || (arg[1] as number) >= (arg[3] as number))
      throw bad('Bad numeric range');
  }
  return (v) => typeof v === 'number' && conditions.every(([compare, n]) => compare(v, n));
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && +p <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function cidr(arg: unknown, path: string): (v: unknown) => boolean {
  const m = typeof arg === 'string' ? /^([\d.]+)\/(\d{1,2})$/.exec(arg) : null;
  const base = m ? ipv4(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : Number.NaN;
  if (base === undefined || bits > 32)
    throw invalidEventPattern(`Malformed CIDR, one '/' required${at(path)}`);
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return (v) => {
    const ip = typeof v === 'string' ? ipv4(v) : undefined;
    return ip !== undefined && ip >= start && ip < start + size;
  };
}
