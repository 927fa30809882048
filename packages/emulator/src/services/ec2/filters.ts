import type { Filter, Tag } from '@aws-sdk/client-ec2';
import {
  compileEc2Filters,
  type FilterTable,
  type FilterValue,
  type Predicate,
  UnknownFilterError,
} from '@aws-trpc/shared/ec2-filters';
import { invalidFilter, missingParameter } from './errors';

export type { FilterTable, FilterValue, Predicate };

/**
 * EC2 Filters over the emulator's state, with AWS's errors: a filter without a name is a missing
 * parameter, an unknown name InvalidParameterValue (never ignored). The semantics are shared with the
 * gateway's streams (`@aws-trpc/shared/ec2-filters`).
 */
export function compileFilters<T>(
  filters: readonly Filter[] | undefined,
  table: FilterTable<T>,
  tagsOf?: (item: T) => readonly Tag[] | undefined,
): Predicate<T> {
  if (filters?.some((f) => !f.Name)) throw missingParameter('Filter.Name');
  try {
    return compileEc2Filters(filters, table, tagsOf);
  } catch (error) {
    if (error instanceof UnknownFilterError) throw invalidFilter(error.filterName);
    throw error;
  }
}
