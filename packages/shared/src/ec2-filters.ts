import type { Filter, Tag } from '@aws-sdk/client-ec2';

/**
 * EC2's `Filters` semantics, for everything that evaluates them locally: the emulator (on its state) and
 * the gateway's streams and waiters (on a shared snapshot). Filters are ANDed, the values of one filter
 * ORed, and a value may hold the `*` and `?` wildcards (`\` escapes them).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Filtering.html
 * Imported as `@aws-trpc/shared/ec2-filters`, so the emulator does not load the catalog.
 */

/** What a filter getter may return: compared as strings; a list matches when any element matches. */
export type FilterValue = string | number | boolean | Date | undefined | null | readonly FilterValue[];

/** A resource's filters: the filter name (as in the API reference of its Describe action) to a getter. */
export type FilterTable<T> = Readonly<Record<string, (item: T) => FilterValue>>;

export type Predicate<T> = (item: T) => boolean;

/** A filter name the table does not have (or none at all); each caller answers it its own way. */
export class UnknownFilterError extends Error {
  override name = 'UnknownFilterError';
  constructor(readonly filterName: string) {
    super(`unknown filter '${filterName}'`);
  }
}

/**
 * Compiles filters once into a predicate. With `tagsOf`, the `tag:<key>`, `tag-key` and `tag-value`
 * filters come on top of the table. An unknown name throws UnknownFilterError, never matches silently.
 */
export function compileEc2Filters<T>(
  filters: readonly Filter[] | undefined,
  table: FilterTable<T>,
  tagsOf?: (item: T) => readonly Tag[] | undefined,
): Predicate<T> {
  if (!filters || filters.length === 0) return () => true;
  const tests: Predicate<T>[] = [];
  for (const f of filters) {
    const name = f.Name ?? '';
    const match = matcher(f.Values ?? []);
    if (tagsOf && name.startsWith('tag:')) {
      const key = name.slice(4);
      tests.push((item) => (tagsOf(item) ?? []).some((t) => t.Key === key && match(t.Value ?? '')));
    } else if (tagsOf && name === 'tag-key') {
      tests.push((item) => (tagsOf(item) ?? []).some((t) => match(t.Key ?? '')));
    } else if (tagsOf && name === 'tag-value') {
      tests.push((item) => (tagsOf(item) ?? []).some((t) => match(t.Value ?? '')));
    } else {
      const get = Object.hasOwn(table, name) ? table[name] : undefined;
      if (!get) throw new UnknownFilterError(name);
      tests.push((item) => asStrings(get(item), []).some(match));
    }
  }
  return tests.length === 1 ? tests[0]! : (item) => tests.every((t) => t(item));
}

/** Exact values by set lookup; wildcard values as anchored patterns. */
function matcher(values: readonly string[]): (s: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const v of values) {
    if (!/[*?]/.test(v)) {
      exact.add(v);
      continue;
    }
    let re = '';
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (c === '\\' && i + 1 < v.length) re += escapeRe(v[++i]!);
      else if (c === '*') re += '.*';
      else if (c === '?') re += '.';
      else re += escapeRe(c);
    }
    patterns.push(new RegExp(`^${re}$`, 's'));
  }
  return (s) => exact.has(s) || patterns.some((p) => p.test(s));
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function asStrings(v: FilterValue, out: string[]): string[] {
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) for (const e of v as readonly FilterValue[]) asStrings(e, out);
  else if (v instanceof Date) out.push(v.toISOString());
  else out.push(String(v));
  return out;
}
