import type {
  DescribeInstanceStatusCommandInput,
  DescribeInstanceStatusCommandOutput,
  InstanceStatus,
} from '@aws-sdk/client-ec2';
import type { SourceView } from './stateSource';

/**
 * The DescribeInstanceStatus filters answered from the source's status read; any other filter (events,
 * zone ids, ...) goes upstream. Names from
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html
 */
const fields: Record<string, (s: InstanceStatus) => string | number | undefined> = {
  'availability-zone': (s) => s.AvailabilityZone,
  'instance-state-name': (s) => s.InstanceState?.Name,
  'instance-state-code': (s) => s.InstanceState?.Code,
  'instance-status.status': (s) => s.InstanceStatus?.Status,
  'system-status.status': (s) => s.SystemStatus?.Status,
  'attached-ebs-status.status': (s) => s.AttachedEbsStatus?.Status,
};

/** The only input members a cached answer honours; MaxResults, NextToken, DryRun and the rest go upstream. */
const answerable = new Set(['InstanceIds', 'Filters', 'IncludeAllInstances']);

type StatusPredicate = (s: InstanceStatus) => boolean;

/**
 * The DescribeInstanceStatus answer the view holds for `input`, as AWS would give it, or undefined when
 * the view cannot answer faithfully (the caller then makes the real call): no status read, an input
 * member or filter it does not evaluate, a wildcard value, or an instance id the read did not return.
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

/** Values of one filter are ORed, filters ANDed; exact values only (a wildcard goes upstream). */
function compileStatusFilters(
  filters: DescribeInstanceStatusCommandInput['Filters'],
): StatusPredicate | undefined {
  const tests: StatusPredicate[] = [];
  for (const f of filters ?? []) {
    const read = fields[f.Name ?? ''];
    const values = f.Values ?? [];
    if (!read || values.some((v) => /[*?\\]/.test(v))) return undefined;
    tests.push((s) => {
      const value = read(s);
      return value !== undefined && values.includes(String(value));
    });
  }
  return (s) => tests.every((test) => test(s));
}
