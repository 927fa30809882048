import type {
  AssociateInstanceEventWindowCommandInput,
  AssociateInstanceEventWindowCommandOutput,
  CreateInstanceEventWindowCommandInput,
  CreateInstanceEventWindowCommandOutput,
  DeleteInstanceEventWindowCommandInput,
  DeleteInstanceEventWindowCommandOutput,
  DescribeInstanceEventWindowsCommandInput,
  DescribeInstanceEventWindowsCommandOutput,
  DisassociateInstanceEventWindowCommandInput,
  DisassociateInstanceEventWindowCommandOutput,
  InstanceEventWindow,
  InstanceEventWindowTimeRange,
  InstanceEventWindowTimeRangeRequest,
  ModifyInstanceEventWindowCommandInput,
  ModifyInstanceEventWindowCommandOutput,
  Tag,
  WeekDay,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { hosts } from './dedicated-hosts';
import {
  checkDryRun,
  idErrors,
  incorrectState,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { resolveInstances } from './instances';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';

/**
 * Event windows: weekly time ranges (or a cron expression) in which AWS may schedule maintenance
 * events of the instances, tags or Dedicated Hosts associated with them; one kind of target per
 * window (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/event-windows.html).
 */
export interface EventWindowRecord extends ResourceRecord {
  name?: string | undefined;
  timeRanges: InstanceEventWindowTimeRange[];
  cron?: string | undefined;
  instanceIds: string[];
  tags: Tag[];
  hostIds: string[];
}

export const eventWindows = defineFamily<EventWindowRecord, InstanceEventWindow>({
  prefix: 'iew',
  resourceType: 'instance-event-window',
  errors: idErrors({
    notFound: 'InvalidInstanceEventWindowID.NotFound',
    malformed: 'InvalidInstanceEventWindowID.Malformed',
    noun: 'instance event window',
    prefix: 'iew',
    notFoundMessage: (ids) => `The instance event window ID '${ids.join(', ')}' does not exist`,
  }),
  shape: (w, view) => ({
    InstanceEventWindowId: w.id,
    Name: w.name,
    TimeRanges: w.timeRanges,
    CronExpression: w.cron,
    AssociationTarget: { InstanceIds: w.instanceIds, Tags: w.tags, DedicatedHostIds: w.hostIds },
    State: 'active',
    Tags: view.tags(w.id),
  }),
  filters: () => ({
    'dedicated-host-id': (w) => w.hostIds,
    'event-window-name': (w) => w.name,
    'instance-id': (w) => w.instanceIds,
    'instance-tag': (w) => w.tags.map((t) => `${t.Key}=${t.Value}`),
    'instance-tag-key': (w) => w.tags.map((t) => t.Key),
    'instance-tag-value': (w) => w.tags.map((t) => t.Value),
  }),
  paging: { min: 20, max: 500 },
});

const DAYS: WeekDay[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const HOUR = 60;

/** Minutes from Sunday 00:00 of a (day, hour) pair. */
const at = (day: WeekDay, hour: number) => DAYS.indexOf(day) * 24 * HOUR + hour * HOUR;

/** Checks the schedule: time ranges of at least two hours each, or a cron expression, not both. */
function schedule(
  ranges: readonly InstanceEventWindowTimeRangeRequest[] | undefined,
  cron: string | undefined,
) {
  if (ranges?.length && cron)
    throw invalidParameterCombination('Specify either TimeRanges or CronExpression, not both.');
  if (!ranges?.length && !cron) throw missingParameter('TimeRanges or CronExpression');
  if (cron) {
    const fields = cron.trim().split(/\s+/);
    // Minutes and day of month are '*' (windows are whole hours on days of the week).
    if (
      fields.length !== 5 ||
      fields[0] !== '*' ||
      fields[2] !== '*' ||
      fields[3] !== '*' ||
      fields[1] === '*' ||
      fields[4] === '*'
    )
      throw invalidParameterValue(
        `The cron expression '${cron}' is invalid. Specify hours and days of the week; the other fields must be '*'.`,
      );
    return { timeRanges: [], cron };
  }
  const timeRanges = ranges!.map((r) => {
    const { StartWeekDay: sd, EndWeekDay: ed, StartHour: sh, EndHour: eh } = r;
    if (!sd || !ed || sh === undefined || eh === undefined) throw missingParameter('TimeRange');
    if (!DAYS.includes(sd) || !DAYS.includes(ed))
      throw invalidParameterValue(`Invalid week day in time range ${sd}-${ed}.`);
    if (sh < 0 || sh > 23 || eh < 0 || eh > 23)
      throw invalidParameterValue('Hours in a time range are 0-23.');
    let length = at(ed, eh) - at(sd, sh);
    if (length < 0) length += 7 * 24 * HOUR;
    if (length < 2 * HOUR) throw invalidParameterValue('Each time range must be at least 2 hours long.');
    return { StartWeekDay: sd, StartHour: sh, EndWeekDay: ed, EndHour: eh };
  });
  return { timeRanges, cron: undefined };
}

const createInstanceEventWindow: Handler<
  CreateInstanceEventWindowCommandInput,
  Out<CreateInstanceEventWindowCommandOutput>
> = (input, ctx) => {
  const s = schedule(input.TimeRanges, input.CronExpression);
  const w = eventWindows.create(ctx, input, (id) => ({
    id,
    name: input.Name,
    ...s,
    instanceIds: [],
    tags: [],
    hostIds: [],
  }));
  return { InstanceEventWindow: { ...eventWindows.shape(ctx, w), State: 'creating' } };
};

const modifyInstanceEventWindow: Handler<
  ModifyInstanceEventWindowCommandInput,
  Out<ModifyInstanceEventWindowCommandOutput>
> = (input, ctx) => {
  const w = eventWindows.get(ctx, input.InstanceEventWindowId, 'InstanceEventWindowId');
  const s =
    input.TimeRanges?.length || input.CronExpression
      ? schedule(input.TimeRanges, input.CronExpression)
      : undefined;
  if (!s && input.Name === undefined) throw missingParameter('Name');
  checkDryRun(input);
  if (s) Object.assign(w, s);
  if (input.Name !== undefined) w.name = input.Name;
  return { InstanceEventWindow: eventWindows.shape(ctx, w) };
};

const deleteInstanceEventWindow: Handler<
  DeleteInstanceEventWindowCommandInput,
  Out<DeleteInstanceEventWindowCommandOutput>
> = (input, ctx) => {
  const w = eventWindows.delete(ctx, input, input.InstanceEventWindowId, 'InstanceEventWindowId', (w) => {
    if (!input.ForceDelete && (w.instanceIds.length || w.tags.length || w.hostIds.length))
      throw incorrectState(
        `The event window ${w.id} has associated targets. Disassociate them or use ForceDelete.`,
      );
  });
  return { InstanceEventWindowState: { InstanceEventWindowId: w.id, State: 'deleting' } };
};

/** The window another window's target already is in (a target has one window at most). */
function claimedBy(scope: Scope, self: EventWindowRecord, kind: 'instance' | 'host', id: string) {
  return eventWindows
    .list(scope)
    .find((o) => o !== self && (kind === 'instance' ? o.instanceIds : o.hostIds).includes(id));
}

const associateInstanceEventWindow: Handler<
  AssociateInstanceEventWindowCommandInput,
  Out<AssociateInstanceEventWindowCommandOutput>
> = (input, ctx) => {
  const w = eventWindows.get(ctx, input.InstanceEventWindowId, 'InstanceEventWindowId');
  const t = input.AssociationTarget;
  const kinds = [t?.InstanceIds?.length, t?.InstanceTags?.length, t?.DedicatedHostIds?.length].filter(
    Boolean,
  ).length;
  if (kinds === 0) throw missingParameter('AssociationTarget');
  const asked = [t?.InstanceIds?.length, t?.InstanceTags?.length, t?.DedicatedHostIds?.length].findIndex(
    Boolean,
  );
  const has = [w.instanceIds.length, w.tags.length, w.hostIds.length].findIndex(Boolean);
  if (kinds > 1 || (has >= 0 && has !== asked))
    throw invalidParameterCombination('An event window can be associated with one type of target only.');
  if (t?.InstanceIds?.length) {
    resolveInstances(ctx.region, t.InstanceIds, ctx.clock.now());
    for (const id of t.InstanceIds) {
      const other = claimedBy(ctx, w, 'instance', id);
      if (other)
        throw invalidParameterValue(
          `The instance ${id} is already associated with event window ${other.id}.`,
        );
    }
  }
  for (const id of t?.DedicatedHostIds ?? []) {
    hosts.get(ctx, id, 'DedicatedHostId');
    const other = claimedBy(ctx, w, 'host', id);
    if (other)
      throw invalidParameterValue(`The host ${id} is already associated with event window ${other.id}.`);
  }
  for (const tag of t?.InstanceTags ?? []) if (!tag.Key) throw missingParameter('InstanceTag.Key');
  checkDryRun(input);
  w.instanceIds = [...new Set([...w.instanceIds, ...(t?.InstanceIds ?? [])])];
  w.hostIds = [...new Set([...w.hostIds, ...(t?.DedicatedHostIds ?? [])])];
  for (const tag of t?.InstanceTags ?? [])
    if (!w.tags.some((x) => x.Key === tag.Key && x.Value === tag.Value))
      w.tags.push({ Key: tag.Key, Value: tag.Value ?? '' });
  return { InstanceEventWindow: eventWindows.shape(ctx, w) };
};

const disassociateInstanceEventWindow: Handler<
  DisassociateInstanceEventWindowCommandInput,
  Out<DisassociateInstanceEventWindowCommandOutput>
> = (input, ctx) => {
  const w = eventWindows.get(ctx, input.InstanceEventWindowId, 'InstanceEventWindowId');
  const t = input.AssociationTarget;
  if (!t?.InstanceIds?.length && !t?.InstanceTags?.length && !t?.DedicatedHostIds?.length)
    throw missingParameter('AssociationTarget');
  for (const id of t.InstanceIds ?? [])
    if (!w.instanceIds.includes(id))
      throw invalidParameterValue(`The instance ${id} is not associated with ${w.id}.`);
  for (const id of t.DedicatedHostIds ?? [])
    if (!w.hostIds.includes(id))
      throw invalidParameterValue(`The host ${id} is not associated with ${w.id}.`);
  checkDryRun(input);
  w.instanceIds = w.instanceIds.filter((id) => !t.InstanceIds?.includes(id));
  w.hostIds = w.hostIds.filter((id) => !t.DedicatedHostIds?.includes(id));
  w.tags = w.tags.filter(
    (x) => !t.InstanceTags?.some((r) => r.Key === x.Key && (r.Value === undefined || r.Value === x.Value)),
  );
  return { InstanceEventWindow: eventWindows.shape(ctx, w) };
};

export const instanceEventWindowHandlers: HandlerMap = {
  CreateInstanceEventWindow: createInstanceEventWindow,
  DescribeInstanceEventWindows: ((input, ctx) => {
    const page = eventWindows.describe(ctx, input, input.InstanceEventWindowIds);
    return { InstanceEventWindows: page.items, NextToken: page.nextToken };
  }) satisfies Handler<
    DescribeInstanceEventWindowsCommandInput,
    Out<DescribeInstanceEventWindowsCommandOutput>
  >,
  ModifyInstanceEventWindow: modifyInstanceEventWindow,
  DeleteInstanceEventWindow: deleteInstanceEventWindow,
  AssociateInstanceEventWindow: associateInstanceEventWindow,
  DisassociateInstanceEventWindow: disassociateInstanceEventWindow,
};
