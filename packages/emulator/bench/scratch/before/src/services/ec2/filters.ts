import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { invalidFilter, missingParameter } from './errors';

/** What a filter getter may return: compared as strings, lists match when any element matches. */
export type FilterValue = string | number | boolean | Date | undefined | null | readonly FilterValue[];

/**
 * A resource type's filters: filter name (as in the EC2 API reference for its Describe action) to a
 * getter. The `tag:KEY`, `tag-key` and `tag-value` filters come with every table that has tags.
 */
export type FilterTable<T> = Readonly<Record<string, (item: T) => FilterValue>>;

export type Predicate<T> = (item: T) => boolean;

/** `*` matches any run of characters and `?` one character; `\` escapes either. */
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

/**
 * Compiles EC2 Filters into one predicate: filters are ANDed, the values of one filter ORed
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Filtering.html). An unknown name is an error,
 * never ignored.
 */
export function compileFilters<T>(
  filters: readonly Filter[] | undefined,
  table: FilterTable<T>,
  tagsOf?: (item: T) => readonly Tag[] | undefined,
): Predicate<T> {
  if (!filters || filters.length === 0) return () => true;
  const tests: Predicate<T>[] = [];
  for (const f of filters) {
    const name = f.Name;
    if (!name) throw missingParameter('Filter.Name');
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
      if (!get) throw invalidFilter(name);
      tests.push((item) => asStrings(get(item), []).some(match));
    }
  }
  return tests.length === 1 ? tests[0]! : (item) => tests.every((t) => t(item));
}
