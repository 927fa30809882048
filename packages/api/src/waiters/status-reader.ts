import type {
  DescribeInstanceStatusCommandInput,
  DescribeInstanceStatusCommandOutput,
  InstanceStatus,
} from '@aws-sdk/client-ec2';
import {
  compileEc2Filters,
  type FilterTable,
  type Predicate,
  UnknownFilterError,
} from '@aws-trpc/shared/ec2-filters';
import type { SourceView } from '../source/state-source';

/**
 * The DescribeInstanceStatus filters answered from the source's status read; any other filter (events,
 * zone ids, ...) goes upstream. Names from
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html
 */
const fields: FilterTable<InstanceStatus> = {
  'availability-zone': (s) => s.AvailabilityZone,
  'instance-state-name': (s) => s.InstanceState?.Name,
  'instance-state-code': (s) => s.InstanceState?.Code,
  'instance-status.status': (s) => s.InstanceStatus?.Status,
  'system-status.status': (s) => s.SystemStatus?.Status,
  'attached-ebs-status.status': (s) => s.AttachedEbsStatus?.Status,
};

/** The only input members a cached answer honours; MaxResults, NextToken, DryRun and the rest go upstream. */
const answerable = new Set(['InstanceIds', 'Filters', 'IncludeAllInstances']);

/**
 * The DescribeInstanceStatus answer the view holds for `input`, as AWS would give it, or undefined when
 * the view cannot answer faithfully (the caller then makes the real call): no status read, an input
 * member or filter it does not evaluate, or an instance id the read did not return.
 * Without IncludeAllInstances, AWS returns running instances only.
 */
export function instanceStatusFromView(
  view: SourceView,
  input: DescribeInstanceStatusCommandInput,
): DescribeInstanceStatusCommandOutput | undefined {
  if (!view.statuses) return undefined;
  if (Object.keys(input).some((k) => !answerable.has(k) && input[k as keyof typeof input] !== undefined)) {
    return undefined;
  }
  const matches = compileStatusFilters(input.Filters);
  if (!matches) return undefined;
  const statuses = view.statuses;
  const ids = input.InstanceIds?.length ? input.InstanceIds : undefined;
  if (ids?.some((id) => !statuses.has(id))) return undefined;
  const candidates = ids ? [...new Set(ids)].map((id) => statuses.get(id)!) : [...statuses.values()];
  const visible = (s: InstanceStatus) =>
    (input.IncludeAllInstances === true || s.InstanceState?.Name === 'running') && matches(s);
  return { InstanceStatuses: candidates.filter(visible), $metadata: {} };
}

/** EC2's filter semantics (shared with the emulator); undefined for a filter not in the table. */
function compileStatusFilters(
  filters: DescribeInstanceStatusCommandInput['Filters'],
): Predicate<InstanceStatus> | undefined {
  try {
    return compileEc2Filters(filters, fields);
  } catch (error) {
    if (error instanceof UnknownFilterError) return undefined;
    throw error;
  }
}
