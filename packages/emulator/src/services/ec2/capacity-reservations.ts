import type {
  CancelCapacityReservationCommandInput,
  CancelCapacityReservationCommandOutput,
  CapacityReservation,
  CapacityReservationInstancePlatform,
  CapacityReservationState,
  CapacityReservationTenancy,
  CreateCapacityReservationCommandInput,
  CreateCapacityReservationCommandOutput,
  DescribeCapacityReservationsCommandInput,
  DescribeCapacityReservationsCommandOutput,
  EndDateType,
  InstanceMatchCriteria,
  ModifyCapacityReservationCommandInput,
  ModifyCapacityReservationCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  checkDryRun,
  idErrors,
  incorrectState,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  reservationCapacityExceeded,
} from './errors';
import { liveInstances, onLaunch } from './instance-state';
import { instanceTypeInfo } from './instance-types';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';
import { checkZone, zoneId } from './zones-regions';

/**
 * On-Demand Capacity Reservations. Running instances of the reservation's type, platform, zone and
 * tenancy use it up: with `open` matching any such launch whose preference is `open`, with
 * `targeted` only launches that name it. A `limited` reservation expires at its EndDate on the clock.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-capacity-reservations.html
 */
export interface CapacityReservationRecord extends ResourceRecord {
  instanceType: string;
  platform: CapacityReservationInstancePlatform;
  zone: string;
  tenancy: CapacityReservationTenancy;
  total: number;
  ebsOptimized: boolean;
  endDate?: number | undefined;
  endDateType: EndDateType;
  match: InstanceMatchCriteria;
  created: number;
  cancelled?: number | undefined;
}

const stateOf = (c: CapacityReservationRecord, now: number): CapacityReservationState =>
  c.cancelled !== undefined
    ? 'cancelled'
    : c.endDate !== undefined && now >= c.endDate
      ? 'expired'
      : 'active';

/** Instances holding the reservation: launched into it and not stopped or terminated. */
function used(region: Region, now: number, c: CapacityReservationRecord): number {
  let n = 0;
  for (const i of liveInstances(region, now))
    if (i.capacityReservationId === c.id && (i.state === 'pending' || i.state === 'running')) n++;
  return n;
}

const arn = (region: Region, id: string) =>
  `arn:aws:ec2:${region.name}:${region.accountId}:capacity-reservation/${id}`;

export const capacityReservations = defineFamily<CapacityReservationRecord, CapacityReservation>({
  prefix: 'cr',
  resourceType: 'capacity-reservation',
  errors: idErrors({
    notFound: 'InvalidCapacityReservationId.NotFound',
    malformed: 'InvalidCapacityReservationId.Malformed',
    noun: 'capacityReservation',
    prefix: 'cr',
    notFoundMessage: (ids) => `The capacity reservation ID '${ids.join(', ')}' does not exist`,
  }),
  shape: (c, view) => {
    const inUse = stateOf(c, view.now) === 'active' ? used(view.region, view.now, c) : 0;
    return {
      CapacityReservationId: c.id,
      CapacityReservationArn: arn(view.region, c.id),
      OwnerId: view.region.accountId,
      InstanceType: c.instanceType,
      InstancePlatform: c.platform,
      AvailabilityZone: c.zone,
      AvailabilityZoneId: zoneId(view.region.name, c.zone),
      Tenancy: c.tenancy,
      TotalInstanceCount: c.total,
      AvailableInstanceCount: Math.max(0, c.total - inUse),
      EbsOptimized: c.ebsOptimized,
      EphemeralStorage: false,
      State: stateOf(c, view.now),
      StartDate: new Date(c.created),
      EndDate: c.endDate !== undefined ? new Date(c.endDate) : undefined,
      EndDateType: c.endDateType,
      InstanceMatchCriteria: c.match,
      CreateDate: new Date(c.created),
      CapacityAllocations: [{ AllocationType: 'used', Count: inUse }],
      ReservationType: 'default',
      Tags: view.tags(c.id),
    };
  },
  filters: (view) => ({
    'instance-type': (c) => c.instanceType,
    'owner-id': () => view.region.accountId,
    'instance-platform': (c) => c.platform,
    'availability-zone': (c) => c.zone,
    tenancy: (c) => c.tenancy,
    'outpost-arn': () => undefined,
    state: (c) => stateOf(c, view.now),
    'start-date': (c) => new Date(c.created),
    'end-date': (c) => (c.endDate !== undefined ? new Date(c.endDate) : undefined),
    'end-date-type': (c) => c.endDateType,
    'instance-match-criteria': (c) => c.match,
    'placement-group-arn': () => undefined,
  }),
  paging: { min: 1, max: 1000 },
});

const PLATFORMS = [
  'Linux/UNIX',
  'Red Hat Enterprise Linux',
  'SUSE Linux',
  'Windows',
  'Windows with SQL Server',
  'Linux with SQL Server Standard',
];

function checkEnd(type: EndDateType | undefined, end: Date | undefined, now: number) {
  const t = type ?? (end ? 'limited' : 'unlimited');
  if (t !== 'limited' && t !== 'unlimited')
    throw invalidParameterValue(`Value (${t}) for parameter endDateType is invalid.`);
  if (t === 'limited' && !end) throw missingParameter('EndDate');
  if (t === 'unlimited' && end)
    throw invalidParameterCombination('EndDate cannot be specified when EndDateType is unlimited.');
  if (end && end.getTime() <= now) throw invalidParameterValue('The EndDate must be in the future.');
  return { endDateType: t, endDate: end?.getTime() };
}

const createCapacityReservation: Handler<
  CreateCapacityReservationCommandInput,
  Out<CreateCapacityReservationCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  if (!input.InstanceType) throw missingParameter('InstanceType');
  if (!instanceTypeInfo(input.InstanceType))
    throw invalidParameterValue(`Invalid instance type: ${input.InstanceType}`);
  if (!input.InstancePlatform) throw missingParameter('InstancePlatform');
  if (!PLATFORMS.includes(input.InstancePlatform))
    throw invalidParameterValue(
      `Value (${input.InstancePlatform}) for parameter instancePlatform is invalid.`,
    );
  if (input.InstanceCount === undefined) throw missingParameter('InstanceCount');
  if (input.InstanceCount < 1)
    throw invalidParameterValue(`Value (${input.InstanceCount}) for parameter instanceCount is invalid.`);
  let zone = input.AvailabilityZone;
  if (!zone && input.AvailabilityZoneId)
    zone = ctx.region.zones.find((z) => zoneId(ctx.region.name, z) === input.AvailabilityZoneId);
  if (!zone) throw missingParameter('AvailabilityZone');
  checkZone(ctx.region, zone);
  const end = checkEnd(input.EndDateType, input.EndDate, now);
  const match = input.InstanceMatchCriteria ?? 'open';
  if (match !== 'open' && match !== 'targeted')
    throw invalidParameterValue(`Value (${match}) for parameter instanceMatchCriteria is invalid.`);
  const c = capacityReservations.create(ctx, input, (id) => ({
    id,
    instanceType: input.InstanceType!,
    platform: input.InstancePlatform!,
    zone: zone!,
    tenancy: input.Tenancy ?? 'default',
    total: input.InstanceCount!,
    ebsOptimized: input.EbsOptimized ?? false,
    ...end,
    match,
    created: now,
  }));
  return { CapacityReservation: capacityReservations.shape(ctx, c) };
};

function active(scope: Scope, id: string | undefined): CapacityReservationRecord {
  const c = capacityReservations.get(scope, id, 'CapacityReservationId');
  if (stateOf(c, scope.clock.now()) !== 'active')
    throw incorrectState(
      `The Capacity Reservation ${c.id} is in the '${stateOf(c, scope.clock.now())}' state.`,
    );
  return c;
}

const modifyCapacityReservation: Handler<
  ModifyCapacityReservationCommandInput,
  Out<ModifyCapacityReservationCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  const c = active(ctx, input.CapacityReservationId);
  const count = input.InstanceCount;
  if (count !== undefined && (count < 1 || count < used(ctx.region, now, c)))
    throw invalidParameterValue(
      `Value (${count}) for parameter instanceCount is invalid: it is below the instances using the reservation.`,
    );
  const end =
    input.EndDateType || input.EndDate ? checkEnd(input.EndDateType, input.EndDate, now) : undefined;
  const match = input.InstanceMatchCriteria;
  if (match !== undefined && match !== 'open' && match !== 'targeted')
    throw invalidParameterValue(`Value (${match}) for parameter instanceMatchCriteria is invalid.`);
  if (count === undefined && !end && match === undefined) throw missingParameter('InstanceCount');
  checkDryRun(input);
  if (count !== undefined) c.total = count;
  if (end) Object.assign(c, end);
  if (match) c.match = match;
  return { Return: true };
};

/** Instances that use a cancelled reservation keep running, as on-demand instances. */
const cancelCapacityReservation: Handler<
  CancelCapacityReservationCommandInput,
  Out<CancelCapacityReservationCommandOutput>
> = (input, ctx) => {
  const c = active(ctx, input.CapacityReservationId);
  checkDryRun(input);
  c.cancelled = ctx.clock.now();
  return { Return: true };
};

// RunInstances: a targeted reservation must fit the launch; an open one is used when it does.
onLaunch((scope, launch) => {
  const spec = launch.input.CapacityReservationSpecification;
  const now = scope.clock.now();
  const pref = spec?.CapacityReservationPreference;
  const tenancy = launch.input.Placement?.Tenancy === 'dedicated' ? 'dedicated' : 'default';
  const fits = (c: CapacityReservationRecord) =>
    c.instanceType === launch.instanceType &&
    c.zone === launch.zone &&
    c.tenancy === tenancy &&
    c.platform === (launch.platform.startsWith('Windows') ? 'Windows' : 'Linux/UNIX');
  const targetId = spec?.CapacityReservationTarget?.CapacityReservationId;
  let chosen: CapacityReservationRecord | undefined;
  if (targetId) {
    if (pref !== undefined)
      throw invalidParameterCombination(
        'CapacityReservationPreference and CapacityReservationTarget cannot both be given.',
      );
    const c = active(scope, targetId);
    if (!fits(c))
      throw invalidParameterValue(
        `The launch does not match the instance type, platform, zone or tenancy of ${c.id}.`,
      );
    if (c.total - used(scope.region, now, c) < launch.count) throw reservationCapacityExceeded(c.id);
    chosen = c;
  } else if (pref === undefined || pref === 'open') {
    chosen = capacityReservations
      .list(scopeAt(scope.region, now))
      .find(
        (c) =>
          c.match === 'open' &&
          stateOf(c, now) === 'active' &&
          fits(c) &&
          c.total - used(scope.region, now, c) >= launch.count,
      );
  } else if (pref !== 'none' && pref !== 'capacity-reservations-only')
    throw invalidParameterValue(`Value (${pref}) for parameter capacityReservationPreference is invalid.`);
  if (!chosen && !pref) return undefined;
  return (rec) => {
    rec.capacityReservationId = chosen?.id;
    rec.capacityReservationPreference = targetId ? undefined : (pref ?? 'open');
  };
});

export const capacityReservationHandlers: HandlerMap = {
  CreateCapacityReservation: createCapacityReservation,
  DescribeCapacityReservations: ((input, ctx) => {
    const page = capacityReservations.describe(ctx, input, input.CapacityReservationIds);
    return { CapacityReservations: page.items, NextToken: page.nextToken };
  }) satisfies Handler<
    DescribeCapacityReservationsCommandInput,
    Out<DescribeCapacityReservationsCommandOutput>
  >,
  ModifyCapacityReservation: modifyCapacityReservation,
  CancelCapacityReservation: cancelCapacityReservation,
};
