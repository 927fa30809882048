/**
 * Input validation derived from the SDK's own operation schemas (`X$` exports walked with
 * `NormalizedSchema`). Validators are compiled lazily on first use and cached per operation; structure
 * checks are shared between operations and compiled member by member on first visit, so recursive
 * shapes cost nothing up front.
 *
 * Decisions, where the SDK's types leave room:
 * - number: any finite number. The schemas mark integers and floats alike (`1`), so the SDK cannot tell.
 * - timestamp: a valid `Date`, or an ISO 8601 string (converted to a `Date`). Epoch numbers are refused:
 *   seconds or milliseconds would be a guess.
 * - blob: `Uint8Array` (Buffer included) or a string, as the SDK's serializer accepts both.
 * - enums are not enforced, as the SDK does not enforce them (AWS adds values before the SDK knows them).
 * - `undefined` means absent; `null` is refused (no SDK input type admits it).
 * - strings (and map keys) must be well-formed UTF-16: a lone surrogate cannot be encoded as UTF-8,
 *   and the SDK's serializer would throw `URIError: URI malformed` on it.
 * - a list holds at most what AWS accepts: the documented limit of that member (list-limits.ts), else
 *   `maxListLength` (default 1,000). The length is checked before any item is walked.
 * - an `idempotencyToken` member is never required: the SDK fills it in.
 * - unknown keys are errors (the raw SDK silently drops them); `__proto__`, `constructor` and `prototype`
 *   are refused everywhere and never assigned. Only plain objects pass as structures and maps.
 * The result is a fresh copy holding only known members.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { findOperation } from './catalog';
import type { ServiceName } from './catalog-types';
import { defaultMaxListLength, documentedListLimit } from './list-limits';
import { inputSchema, structMembers } from './sdk';
import type { ServiceOps } from './types';

export interface ValidationIssue {
  /** where the problem is, e.g. ['Filters', 0, 'Values'] */
  readonly path: readonly (string | number)[];
  /** e.g. 'Expected list<string> at Filters[0].Values, got string' */
  readonly message: string;
  /** what would have been valid there, e.g. 'list<string>' or, for a misspelled key, 'InstanceIds' */
  readonly expected: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: readonly ValidationIssue[] };

/** Thrown by `InputValidator.parse`; tRPC turns it into a BAD_REQUEST whose cause carries `issues`. */
export class InputValidationError extends Error {
  override readonly name = 'InputValidationError';
  constructor(
    readonly operation: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`Invalid input for ${operation}: ${issues.map((issue) => issue.message).join('; ')}`);
  }
}

/** Limits the caller (the gateway's configuration) may set; the documented AWS limits always apply. */
export interface ValidationOptions {
  /** Items per list member where AWS documents no limit. Default 1,000. */
  readonly maxListLength?: number;
}

export interface InputValidator<T> {
  readonly operation: string;
  validate(input: unknown, options?: ValidationOptions): ValidationResult<T>;
  /**
   * Returns the clean copy or throws `InputValidationError`; what tRPC's `.input()` calls. A clean copy
   * this module made (`validate` ran on it already, possibly with other options) is returned as it is.
   */
  parse(input: unknown, options?: ValidationOptions): T;
  /** Standard Schema v1, so tRPC and other tools infer `T` */
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: 'aws-trpc';
    validate(input: unknown): { value: T } | { issues: readonly ValidationIssue[] };
    readonly types?: { readonly input: T; readonly output: T };
  };
}

const MAX_DEPTH = 32;
const MAX_ISSUES = 20;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const INVALID: unique symbol = Symbol('invalid');

interface Walk {
  readonly path: (string | number)[];
  readonly issues: ValidationIssue[];
  depth: number;
  /** The most items the list at the current path may hold. */
  readonly maxList: (path: readonly (string | number)[]) => number;
}

type Check = (value: unknown, walk: Walk) => unknown;

interface Compiled {
  readonly check: Check;
  readonly expected: string;
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'input';
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'Date';
  if (value instanceof Uint8Array) return 'Uint8Array';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    return proto && proto !== Object.prototype ? (proto.constructor?.name ?? 'object') : 'object';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function report(walk: Walk, expected: string, message: string, key?: string): typeof INVALID {
  if (walk.issues.length < MAX_ISSUES) {
    const path = key === undefined ? [...walk.path] : [...walk.path, key];
    walk.issues.push({ path, expected, message });
  }
  return INVALID;
}

function mismatch(walk: Walk, expected: string, value: unknown): typeof INVALID {
  return report(walk, expected, `Expected ${expected} at ${formatPath(walk.path)}, got ${describe(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function simple(expected: string, test: (value: unknown) => unknown): Compiled {
  return {
    expected,
    check: (value, walk) => {
      const out = test(value);
      return out === INVALID ? mismatch(walk, expected, value) : out;
    },
  };
}

/** In `u` mode a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/** An ill-formed string: the issue names the path and the offending index, never the content. */
function illFormed(walk: Walk, expected: string, value: string, key?: string): typeof INVALID {
  const at = value.search(LONE_SURROGATE);
  const where = formatPath(key === undefined ? walk.path : [...walk.path, key]);
  return report(
    walk,
    expected,
    `Expected ${expected} at ${where}, got a string with a lone UTF-16 surrogate at index ${at} (not valid Unicode)`,
    key,
  );
}

const stringCheck: Compiled = {
  expected: 'string',
  check: (v, walk) => {
    if (typeof v !== 'string') return mismatch(walk, 'string', v);
    return LONE_SURROGATE.test(v) ? illFormed(walk, 'well-formed Unicode string', v) : v;
  },
};
const numberCheck = simple('number', (v) => (typeof v === 'number' && Number.isFinite(v) ? v : INVALID));
const bigNumberCheck = simple('number', (v) =>
  typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v)) ? v : INVALID,
);
const booleanCheck = simple('boolean', (v) => (typeof v === 'boolean' ? v : INVALID));
const blobExpected = 'blob (Uint8Array or string)';
const blobCheck: Compiled = {
  expected: blobExpected,
  check: (v, walk) => {
    if (v instanceof Uint8Array) return v;
    if (typeof v !== 'string') return mismatch(walk, blobExpected, v);
    return LONE_SURROGATE.test(v) ? illFormed(walk, 'well-formed Unicode string', v) : v;
  },
};
const timestampCheck = simple('timestamp (Date or ISO 8601 string)', (v) => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? INVALID : v;
  if (typeof v === 'string' && ISO_8601.test(v)) {
    const date = new Date(v);
    return Number.isNaN(date.getTime()) ? INVALID : date;
  }
  return INVALID;
});
const documentCheck = simple('document', (v) => v);

const compiledByRaw = new WeakMap<object, Compiled>();

function compile(schema: NormalizedSchema): Compiled {
  const raw = schema.getSchema() as unknown;
  if (typeof raw === 'object' && raw !== null) {
    const cached = compiledByRaw.get(raw);
    if (cached) return cached;
  }
  let compiled: Compiled;
  if (schema.isStructSchema()) compiled = compileStruct(schema);
  else if (schema.isListSchema()) compiled = compileList(schema);
  else if (schema.isMapSchema()) compiled = compileMap(schema);
  else if (schema.isBlobSchema()) return blobCheck;
  else if (schema.isTimestampSchema()) return timestampCheck;
  else if (schema.isBooleanSchema()) return booleanCheck;
  else if (schema.isNumericSchema()) return numberCheck;
  else if (schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) return bigNumberCheck;
  else if (schema.isStringSchema()) return stringCheck;
  else return documentCheck;
  if (typeof raw === 'object' && raw !== null) compiledByRaw.set(raw, compiled);
  return compiled;
}

function enter(walk: Walk, expected: string): boolean {
  if (walk.depth >= MAX_DEPTH) {
    report(walk, expected, `Input nested deeper than ${MAX_DEPTH} levels at ${formatPath(walk.path)}`);
    return false;
  }
  walk.depth++;
  return true;
}

function compileList(schema: NormalizedSchema): Compiled {
  const item = lazy(() => compile(schema.getValueSchema()));
  const compiled: Compiled = {
    get expected() {
      return `list<${item().expected}>`;
    },
    check: (value, walk) => {
      if (!Array.isArray(value)) return mismatch(walk, compiled.expected, value);
      const max = walk.maxList(walk.path);
      if (value.length > max) {
        return report(
          walk,
          `list of at most ${max} items`,
          `Too many items at ${formatPath(walk.path)}: ${value.length}, AWS accepts at most ${max}`,
        );
      }
      if (!enter(walk, compiled.expected)) return INVALID;
      const { check } = item();
      const out = new Array<unknown>(value.length);
      let failed = false;
      for (let i = 0; i < value.length && walk.issues.length < MAX_ISSUES; i++) {
        walk.path.push(i);
        const element = i in value ? check(value[i], walk) : mismatch(walk, item().expected, undefined);
        walk.path.pop();
        if (element === INVALID) failed = true;
        else out[i] = element;
      }
      walk.depth--;
      return failed ? INVALID : out;
    },
  };
  return compiled;
}

function compileMap(schema: NormalizedSchema): Compiled {
  const value = lazy(() => compile(schema.getValueSchema()));
  const compiled: Compiled = {
    get expected() {
      return `map<string, ${value().expected}>`;
    },
    check: (input, walk) => {
      if (!isPlainObject(input)) return mismatch(walk, compiled.expected, input);
      if (!enter(walk, compiled.expected)) return INVALID;
      const { check } = value();
      const out: Record<string, unknown> = {};
      let failed = false;
      for (const key of Object.keys(input)) {
        if (FORBIDDEN_KEYS.has(key)) {
          failed = true;
          report(walk, 'a map key', `Forbidden key ${key} at ${formatPath([...walk.path, key])}`, key);
          continue;
        }
        if (LONE_SURROGATE.test(key)) {
          failed = true;
          illFormed(walk, 'a well-formed Unicode map key', key, key);
          continue;
        }
        if (input[key] === undefined) continue;
        walk.path.push(key);
        const entry = check(input[key], walk);
        walk.path.pop();
        if (entry === INVALID) failed = true;
        else out[key] = entry;
      }
      walk.depth--;
      return failed ? INVALID : out;
    },
  };
  return compiled;
}

interface Member {
  readonly name: string;
  readonly compiled: () => Compiled;
}

function compileStruct(schema: NormalizedSchema): Compiled {
  const name = schema.getName() ?? 'structure';
  const expected = `structure ${name}`;
  const isUnion = schema.isUnionSchema();
  const members = lazy(() => {
    const byName = new Map<string, Member>();
    const required: string[] = [];
    for (const { name: memberName, schema: member, required: isRequired } of structMembers(schema)) {
      byName.set(memberName, { name: memberName, compiled: lazy(() => compile(member)) });
      if (isRequired && !member.isIdempotencyToken()) required.push(memberName);
    }
    return { byName, required };
  });
  return {
    expected,
    check: (value, walk) => {
      if (!isPlainObject(value)) return mismatch(walk, expected, value);
      if (!enter(walk, expected)) return INVALID;
      const { byName, required } = members();
      const out: Record<string, unknown> = {};
      let failed = false;
      let set = 0;
      for (const key of Object.keys(value)) {
        const member = byName.get(key);
        if (!member || FORBIDDEN_KEYS.has(key)) {
          failed = true;
          unknownKey(walk, key, byName, name);
          continue;
        }
        const memberValue = value[key];
        if (memberValue === undefined) continue;
        set++;
        walk.path.push(key);
        const checked = member.compiled().check(memberValue, walk);
        walk.path.pop();
        if (checked === INVALID) failed = true;
        else out[key] = checked;
      }
      for (const key of required) {
        if (value[key] !== undefined) continue;
        failed = true;
        const memberExpected = byName.get(key)!.compiled().expected;
        report(walk, memberExpected, `Missing required member ${formatPath([...walk.path, key])}`, key);
      }
      if (isUnion && set > 1) {
        failed = true;
        report(
          walk,
          `one member of ${name}`,
          `Expected exactly one member of ${name} at ${formatPath(walk.path)}`,
        );
      }
      walk.depth--;
      return failed ? INVALID : out;
    },
  };
}

function unknownKey(walk: Walk, key: string, members: Map<string, Member>, struct: string): void {
  const suggestion = closestMember(key, members);
  const where = formatPath([...walk.path, key]);
  const message = suggestion
    ? `Unknown member ${where} of ${struct}; did you mean ${suggestion}?`
    : `Unknown member ${where} of ${struct}`;
  const names = [...members.keys()];
  const expected =
    suggestion ??
    (names.length <= 10 ? `one of ${names.join(', ') || '(no members)'}` : `a member of ${struct}`);
  report(walk, expected, message, key);
}

/** A member that differs only in case, or by at most two edits. */
function closestMember(key: string, members: Map<string, Member>): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of members.keys()) {
    const candidate = name.toLowerCase();
    if (candidate === lower) return name;
    if (Math.abs(candidate.length - lower.length) >= bestDistance) continue;
    const distance = editDistance(lower, candidate, bestDistance);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

const validators = new Map<string, InputValidator<unknown>>();

/** Clean copies made by a validator: `parse` passes them through without walking them again. */
const cleanCopies = new WeakSet<object>();

/**
 * A validator for any input schema; `inputValidator` is this over the operation's input shape.
 * `documented(member)` gives AWS's documented list limit of a top-level member, if any.
 */
export function validatorForSchema<T = unknown>(
  name: string,
  schema: () => unknown,
  documented: (member: string) => number | undefined = () => undefined,
): InputValidator<T> {
  const root = lazy(() => compile(NormalizedSchema.of(schema() as never)));
  const validate = (input: unknown, options: ValidationOptions = {}): ValidationResult<T> => {
    const fallback = options.maxListLength ?? defaultMaxListLength;
    const maxList = (path: readonly (string | number)[]) =>
      (path.length === 1 && typeof path[0] === 'string' ? documented(path[0]) : undefined) ?? fallback;
    const walk: Walk = { path: [], issues: [], depth: 0, maxList };
    // tRPC passes `undefined` for a call without input; the SDK sends `{}` then.
    const value = root().check(input === undefined ? {} : input, walk);
    if (value === INVALID || walk.issues.length > 0) return { ok: false, issues: walk.issues };
    if (typeof value === 'object' && value !== null) cleanCopies.add(value);
    return { ok: true, value: value as T };
  };
  return {
    operation: name,
    validate,
    parse(input, options) {
      if (typeof input === 'object' && input !== null && cleanCopies.has(input)) return input as T;
      const result = validate(input, options);
      if (!result.ok) throw new InputValidationError(name, result.issues);
      return result.value;
    },
    '~standard': {
      version: 1,
      vendor: 'aws-trpc',
      validate(input) {
        const result = validate(input);
        return result.ok ? { value: result.value } : { issues: result.issues };
      },
    },
  };
}

function buildValidator(service: ServiceName, operation: string): InputValidator<unknown> {
  return validatorForSchema(
    operation,
    () => inputSchema(service, operation),
    (member) => documentedListLimit(service, operation, member),
  );
}

/**
 * The validator for one operation, by operation name ('RunInstances') or procedure name ('runInstances').
 * Built on first use, then cached. Throws for a name the catalog does not know.
 */
export function inputValidator<S extends ServiceName, P extends keyof ServiceOps[S] & string>(
  service: S,
  procedure: P,
): InputValidator<ServiceOps[S][P] extends { input: infer I } ? I : never>;
export function inputValidator(service: ServiceName, operation: string): InputValidator<unknown>;
export function inputValidator(service: ServiceName, name: string): InputValidator<unknown> {
  const entry = findOperation(service, name);
  if (!entry) throw new Error(`Unknown ${service} operation: ${name}`);
  const key = `${service}:${entry.operation}`;
  let validator = validators.get(key);
  if (!validator) {
    validator = buildValidator(service, entry.operation);
    validators.set(key, validator);
  }
  return validator;
}
