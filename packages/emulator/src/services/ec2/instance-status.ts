import type {
  DescribeInstanceStatusCommandInput,
  DescribeInstanceStatusCommandOutput,
  GetConsoleOutputCommandInput,
  GetConsoleOutputCommandOutput,
  InstanceStatus,
  StatusType,
  SummaryStatus,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { invalidParameterCombination } from './errors';
import { compileFilters, type FilterTable } from './filters';
import { STATE_CODES } from './instance-shape';
import { type InstanceRecord, liveInstances } from './instance-state';
import { resolveInstances } from './instances';
import { paginate } from './paging';
import { zoneId } from './zones-regions';

/**
 * DescribeInstanceStatus: status checks are 'initializing' for one more pending delay after the
 * instance turns running, then 'ok'; only running instances unless IncludeAllInstances
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html).
 */
function checks(r: InstanceRecord, now: number, settleMs: number): SummaryStatus {
  if (r.state !== 'running') return 'not-applicable';
  return now < r.since + settleMs ? 'initializing' : 'ok';
}

function statusOf(r: InstanceRecord, now: number, settleMs: number, regionName: string): InstanceStatus {
  const s = checks(r, now, settleMs);
  const reachability: StatusType | undefined =
    s === 'ok' ? 'passed' : s === 'initializing' ? 'initializing' : undefined;
  const summary = {
    Status: s,
    Details: reachability ? [{ Name: 'reachability' as const, Status: reachability }] : undefined,
  };
  return {
    InstanceId: r.id,
    AvailabilityZone: r.zone,
    AvailabilityZoneId: zoneId(regionName, r.zone),
    InstanceState: { Code: STATE_CODES[r.state], Name: r.state },
    InstanceStatus: summary,
    SystemStatus: summary,
    AttachedEbsStatus: { Status: s === 'not-applicable' ? undefined : s === 'ok' ? 'ok' : 'initializing' },
  };
}

const describeInstanceStatus: Handler<
  DescribeInstanceStatusCommandInput,
  Out<DescribeInstanceStatusCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  const settle = ctx.delays.pending;
  const filters: FilterTable<InstanceRecord> = {
    'availability-zone': (r) => r.zone,
    'availability-zone-id': (r) => zoneId(ctx.region.name, r.zone),
    'instance-state-name': (r) => r.state,
    'instance-state-code': (r) => STATE_CODES[r.state],
    'instance-status.status': (r) => checks(r, now, settle),
    'system-status.status': (r) => checks(r, now, settle),
    'instance-status.reachability': (r) =>
      statusOf(r, now, settle, ctx.region.name).InstanceStatus?.Details?.[0]?.Status,
    'system-status.reachability': (r) =>
      statusOf(r, now, settle, ctx.region.name).SystemStatus?.Details?.[0]?.Status,
    'event.code': () => undefined,
  };
  const keep = compileFilters(input.Filters, filters);
  const visible = (r: InstanceRecord) => (input.IncludeAllInstances || r.state === 'running') && keep(r);
  if (input.InstanceIds?.length) {
    if (input.MaxResults !== undefined)
      throw invalidParameterCombination(
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    const recs = resolveInstances(ctx.region, input.InstanceIds, now).filter(visible);
    return { InstanceStatuses: recs.map((r) => statusOf(r, now, settle, ctx.region.name)) };
  }
  function* matching(): Generator<InstanceRecord> {
    for (const r of liveInstances(ctx.region, now)) if (visible(r)) yield r;
  }
  const page = paginate(matching(), input, { min: 5, max: 1000 });
  return {
    InstanceStatuses: page.items.map((r) => statusOf(r, now, settle, ctx.region.name)),
    NextToken: page.nextToken,
  };
};

/** A short boot log, base64 like AWS's, once the instance has booted. */
const getConsoleOutput: Handler<GetConsoleOutputCommandInput, Out<GetConsoleOutputCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const [r] = resolveInstances(ctx.region, input.InstanceId ? [input.InstanceId] : undefined, now);
  const rec = r!;
  if (rec.state === 'pending') return { InstanceId: rec.id, Timestamp: new Date(now) };
  const t = (ms: number) => `[${(ms / 1000).toFixed(6).padStart(12)}]`;
  const text = [
    `${t(0)} Linux version 6.1.115-126.197.amzn2023.x86_64 (mockbuild@ip-10-0-50-66) #1 SMP`,
    `${t(0.01)} Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz root=UUID=0 ro console=tty0 console=ttyS0,115200n8`,
    `${t(1.2)} cloud-init[1432]: Cloud-init v. 22.2.2 running 'modules:final'`,
    `${t(1.9)} cloud-init[1432]: Cloud-init v. 22.2.2 finished. Datasource DataSourceEc2.`,
    '',
    `${rec.id} login: `,
  ].join('\n');
  return { InstanceId: rec.id, Timestamp: new Date(rec.since), Output: Buffer.from(text).toString('base64') };
};

export const instanceStatusHandlers: HandlerMap = {
  DescribeInstanceStatus: describeInstanceStatus,
  GetConsoleOutput: getConsoleOutput,
};
