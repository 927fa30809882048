import type {
  DescribeVolumeAttributeCommandInput,
  DescribeVolumeAttributeCommandOutput,
  DescribeVolumeStatusCommandInput,
  DescribeVolumeStatusCommandOutput,
  ModifyVolumeAttributeCommandInput,
  ModifyVolumeAttributeCommandOutput,
  VolumeStatusItem,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors';
import { compileFilters, type FilterTable } from './filters';
import { paginate } from './paging';
import { allVolumes, findVolume, type VolumeRecord } from './volumes';
import { zoneId } from './zones-regions';

/**
 * Volume status checks and the autoEnableIO attribute. Emulated volumes are never impaired: their
 * status is `ok`, with I/O enabled and no events or actions
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumeStatus.html).
 */
const ioPerformance = (v: VolumeRecord) =>
  v.type === 'io1' || v.type === 'io2' ? 'normal' : 'not-applicable';

const filters: FilterTable<VolumeRecord> = {
  'availability-zone': (v) => v.zone,
  'volume-status.status': () => 'ok',
  'volume-status.details-name': () => ['io-enabled', 'io-performance'],
  'volume-status.details-status': (v) => ['passed', ioPerformance(v)],
  'attachment-status.instance-id': (v) => v.attachment?.instanceId,
  'attachment-status.io-performance': (v) => (v.attachment ? ioPerformance(v) : undefined),
  'event.description': () => undefined,
  'event.event-id': () => undefined,
  'event.event-type': () => undefined,
  'event.not-after': () => undefined,
  'event.not-before': () => undefined,
  'action.code': () => undefined,
  'action.description': () => undefined,
  'action.event-id': () => undefined,
};

const describeVolumeStatus: Handler<
  DescribeVolumeStatusCommandInput,
  Out<DescribeVolumeStatusCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  if (input.VolumeIds?.length && input.MaxResults !== undefined)
    throw invalidParameterCombination('The parameter volumeSet cannot be used with the parameter maxResults');
  const source = input.VolumeIds?.length
    ? [...new Set(input.VolumeIds)].map((id) => findVolume(ctx.region, id, now)).sort((a, b) => a.seq - b.seq)
    : allVolumes(ctx.region, now);
  const keep = compileFilters(input.Filters, filters);
  const page = paginate(source.filter(keep), input, { min: 5, max: 1000 });
  const VolumeStatuses: VolumeStatusItem[] = page.items.map((v) => ({
    VolumeId: v.id,
    AvailabilityZone: v.zone,
    AvailabilityZoneId: zoneId(ctx.region.name, v.zone),
    VolumeStatus: {
      Status: 'ok',
      Details: [
        { Name: 'io-enabled', Status: 'passed' },
        { Name: 'io-performance', Status: ioPerformance(v) },
      ],
    },
    Events: [],
    Actions: [],
    AttachmentStatuses: v.attachment
      ? [{ InstanceId: v.attachment.instanceId, IoPerformance: ioPerformance(v) }]
      : [],
  }));
  return { VolumeStatuses, NextToken: page.nextToken };
};

const describeVolumeAttribute: Handler<
  DescribeVolumeAttributeCommandInput,
  Out<DescribeVolumeAttributeCommandOutput>
> = (input, ctx) => {
  if (!input.VolumeId) throw missingParameter('VolumeId');
  const v = findVolume(ctx.region, input.VolumeId, ctx.clock.now());
  if (input.Attribute === 'autoEnableIO')
    return { VolumeId: v.id, AutoEnableIO: { Value: v.autoEnableIO ?? false } };
  if (input.Attribute === 'productCodes') return { VolumeId: v.id, ProductCodes: [] };
  if (!input.Attribute) throw missingParameter('Attribute');
  throw invalidParameterValue(
    `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`,
  );
};

/** autoEnableIO: whether I/O resumes by itself after the volume is found impaired. */
const modifyVolumeAttribute: Handler<
  ModifyVolumeAttributeCommandInput,
  Out<ModifyVolumeAttributeCommandOutput>
> = (input, ctx) => {
  if (!input.VolumeId) throw missingParameter('VolumeId');
  const v = findVolume(ctx.region, input.VolumeId, ctx.clock.now());
  const value = input.AutoEnableIO?.Value;
  if (value === undefined) throw missingParameter('AutoEnableIO');
  checkDryRun(input);
  v.autoEnableIO = value;
  return {};
};

export const volumeStatusHandlers: HandlerMap = {
  DescribeVolumeStatus: describeVolumeStatus,
  DescribeVolumeAttribute: describeVolumeAttribute,
  ModifyVolumeAttribute: modifyVolumeAttribute,
};
