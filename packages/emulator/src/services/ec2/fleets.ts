import type {
  CreateFleetCommandInput,
  CreateFleetCommandOutput,
  CreateFleetError,
  CreateFleetInstance,
  DefaultTargetCapacityType,
  DeleteFleetErrorItem,
  DeleteFleetSuccessItem,
  DeleteFleetsCommandInput,
  DeleteFleetsCommandOutput,
  DescribeFleetInstancesCommandInput,
  DescribeFleetInstancesCommandOutput,
  DescribeFleetsCommandInput,
  DescribeFleetsCommandOutput,
  FleetData,
  FleetLaunchTemplateConfig,
  FleetLaunchTemplateOverridesRequest,
  FleetStateCode,
  FleetType,
  InstanceLifecycle,
  LaunchTemplateAndOverridesResponse,
  TargetCapacitySpecification,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, RequestContext } from '../../core/types';
import { checkDryRun, idErrors, invalidParameterValue, missingParameter } from './errors';
import { findInstanceRecord } from './instance-state';
import { endInstances, launchInstances } from './instances';
import { resolveLaunchTemplate } from './launch-templates';
import { paginate } from './paging';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { spotPrice } from './spot-instances';
import { setTags, tagsFromSpecifications } from './tags';

/**
 * EC2 Fleet: launch-template-based fleets of on-demand and spot instances
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFleet.html). Every type launches
 * its target capacity at once: `instant` answers the instances and errors; `request` and
 * `maintain` keep the fleet `active` (without replacing instances). On-demand capacity takes the
 * overrides by Priority, spot capacity the lowest spot price first; a launch that fails moves on to
 * the next override. Fleet ids have 17 hex digits, not AWS's UUID form.
 */
interface FleetInstance {
  instanceId: string;
  lifecycle: InstanceLifecycle;
  config: LaunchTemplateAndOverridesResponse;
}

export interface FleetRecord extends ResourceRecord {
  type: FleetType;
  state: FleetStateCode;
  configs: FleetLaunchTemplateConfig[];
  target: TargetCapacitySpecification;
  instances: FleetInstance[];
  errors: CreateFleetError[];
  created: number;
  clientToken?: string | undefined;
}

const live = (scope: Scope, f: FleetRecord) =>
  f.instances.filter((i) => {
    const r = findInstanceRecord(scope.region, i.instanceId, scope.clock.now());
    return r && r.state !== 'terminated' && r.state !== 'shutting-down';
  });

export const fleets = defineFamily<FleetRecord, FleetData>({
  prefix: 'fleet',
  resourceType: 'fleet',
  errors: idErrors({
    notFound: 'InvalidFleetId.NotFound',
    malformed: 'InvalidFleetId.Malformed',
    noun: 'fleet',
    prefix: 'fleet',
    notFoundMessage: (ids) => `The fleet ID '${ids.join(', ')}' does not exist`,
  }),
  shape: (f, view) => {
    const n = f.instances.length;
    const onDemand = f.instances.filter((i) => i.lifecycle === 'on-demand').length;
    return {
      FleetId: f.id,
      FleetState: f.state,
      Type: f.type,
      ActivityStatus:
        f.type === 'instant' ? undefined : n >= (f.target.TotalTargetCapacity ?? 0) ? 'fulfilled' : 'error',
      CreateTime: new Date(f.created),
      ClientToken: f.clientToken,
      ExcessCapacityTerminationPolicy: f.type === 'instant' ? undefined : 'termination',
      FulfilledCapacity: n,
      FulfilledOnDemandCapacity: onDemand,
      LaunchTemplateConfigs: f.configs,
      TargetCapacitySpecification: f.target,
      TerminateInstancesWithExpiration: false,
      ReplaceUnhealthyInstances: false,
      SpotOptions: { AllocationStrategy: 'lowest-price' },
      OnDemandOptions: { AllocationStrategy: 'prioritized' },
      Instances:
        f.type === 'instant'
          ? groups(f.instances).map((g) => ({
              LaunchTemplateAndOverrides: g.config,
              Lifecycle: g.lifecycle,
              InstanceIds: g.ids,
            }))
          : undefined,
      Errors: f.type === 'instant' ? f.errors : undefined,
      Tags: view.tags(f.id),
    };
  },
  filters: () => ({
    'activity-status': (f) => (f.type === 'instant' ? undefined : 'fulfilled'),
    'excess-capacity-termination-policy': (f) => (f.type === 'instant' ? undefined : 'termination'),
    'fleet-state': (f) => f.state,
    'replace-unhealthy-instances': () => false,
    type: (f) => f.type,
  }),
});

function groups(instances: readonly FleetInstance[]) {
  const out: { config: LaunchTemplateAndOverridesResponse; lifecycle: InstanceLifecycle; ids: string[] }[] =
    [];
  for (const i of instances) {
    const g = out.find((x) => x.config === i.config && x.lifecycle === i.lifecycle);
    if (g) g.ids.push(i.instanceId);
    else out.push({ config: i.config, lifecycle: i.lifecycle, ids: [i.instanceId] });
  }
  return out;
}

/** One launch template and one of its overrides (or none). */
interface Pair {
  spec: {
    LaunchTemplateId?: string | undefined;
    LaunchTemplateName?: string | undefined;
    Version?: string | undefined;
  };
  override: FleetLaunchTemplateOverridesRequest;
  config: LaunchTemplateAndOverridesResponse;
  instanceType: string;
}

function pairsOf(ctx: RequestContext, input: CreateFleetCommandInput): Pair[] {
  const configs = input.LaunchTemplateConfigs ?? [];
  if (!configs.length) throw missingParameter('LaunchTemplateConfigs');
  return configs.flatMap((c) => {
    const spec = c.LaunchTemplateSpecification;
    if (!spec) throw missingParameter('LaunchTemplateConfigs.LaunchTemplateSpecification');
    const template = resolveLaunchTemplate(ctx, spec);
    return (c.Overrides?.length ? c.Overrides : [{}]).map((override) => ({
      spec: { ...spec },
      override,
      instanceType: override.InstanceType ?? template.data.InstanceType ?? 'm1.small',
      config: {
        LaunchTemplateSpecification: {
          LaunchTemplateId: template.id,
          LaunchTemplateName: spec.LaunchTemplateName,
          Version: spec.Version ?? String(template.version),
        },
        Overrides: c.Overrides?.length
          ? {
              InstanceType: override.InstanceType,
              MaxPrice: override.MaxPrice,
              SubnetId: override.SubnetId,
              AvailabilityZone: override.AvailabilityZone,
              WeightedCapacity: override.WeightedCapacity,
              Priority: override.Priority,
            }
          : undefined,
      },
    }));
  });
}

/** Launches `units` of capacity with one lifecycle, trying the pairs in order. */
function fill(
  ctx: RequestContext,
  pairs: Pair[],
  units: number,
  lifecycle: InstanceLifecycle,
  tags: Map<string, unknown>,
) {
  const made: FleetInstance[] = [];
  const errors: CreateFleetError[] = [];
  let left = units;
  for (const p of pairs) {
    if (left <= 0) break;
    const weight = p.override.WeightedCapacity ?? 1;
    const count = Math.ceil(left / weight);
    try {
      const reservation = launchInstances(
        {
          LaunchTemplate: p.spec,
          InstanceType: p.override.InstanceType,
          SubnetId: p.override.SubnetId,
          Placement: p.override.AvailabilityZone
            ? { AvailabilityZone: p.override.AvailabilityZone }
            : undefined,
          MinCount: count,
          MaxCount: count,
          InstanceMarketOptions:
            lifecycle === 'spot'
              ? { MarketType: 'spot', SpotOptions: { MaxPrice: p.override.MaxPrice } }
              : undefined,
          TagSpecifications: tags.has('instance')
            ? [{ ResourceType: 'instance', Tags: tags.get('instance') as never }]
            : undefined,
        },
        ctx,
      ) as Awaited<ReturnType<typeof launchInstances>>;
      for (const i of reservation.Instances ?? [])
        made.push({ instanceId: i.InstanceId!, lifecycle, config: p.config });
      left -= count * weight;
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      errors.push({
        LaunchTemplateAndOverrides: p.config,
        Lifecycle: lifecycle,
        ErrorCode: e.code,
        ErrorMessage: e.message,
      });
    }
  }
  return { made, errors };
}

const TYPES: FleetType[] = ['instant', 'request', 'maintain'];

const createFleet: Handler<CreateFleetCommandInput, Out<CreateFleetCommandOutput>> = (input, ctx) => {
  const type = input.Type ?? 'maintain';
  if (!TYPES.includes(type)) throw invalidParameterValue(`Value (${type}) for parameter type is invalid.`);
  const t = input.TargetCapacitySpecification;
  if (t?.TotalTargetCapacity === undefined)
    throw missingParameter('TargetCapacitySpecification.TotalTargetCapacity');
  const total = t.TotalTargetCapacity;
  if (total < 1)
    throw invalidParameterValue(`Value (${total}) for parameter totalTargetCapacity is invalid.`);
  const kind: DefaultTargetCapacityType = t.DefaultTargetCapacityType ?? 'on-demand';
  if (kind !== 'on-demand' && kind !== 'spot')
    throw invalidParameterValue(`Value (${kind}) for parameter defaultTargetCapacityType is invalid.`);
  if ((t.OnDemandTargetCapacity ?? 0) + (t.SpotTargetCapacity ?? 0) > total)
    throw invalidParameterValue(
      'The sum of OnDemandTargetCapacity and SpotTargetCapacity exceeds TotalTargetCapacity.',
    );
  const onDemand =
    t.OnDemandTargetCapacity ?? (kind === 'on-demand' ? total - (t.SpotTargetCapacity ?? 0) : 0);
  const spot = total - onDemand;
  const pairs = pairsOf(ctx, input);
  const tags = tagsFromSpecifications(
    input.TagSpecifications,
    type === 'instant' ? ['fleet', 'instance'] : ['fleet'],
  );
  checkDryRun(input);
  const now = ctx.clock.now();
  const byPriority = [...pairs].sort(
    (a, b) => (a.override.Priority ?? Infinity) - (b.override.Priority ?? Infinity),
  );
  const zone = (p: Pair) => p.override.AvailabilityZone ?? ctx.region.zones[0]!;
  const byPrice = [...pairs].sort(
    (a, b) => spotPrice(a.instanceType, zone(a), now) - spotPrice(b.instanceType, zone(b), now),
  );
  const od = onDemand > 0 ? fill(ctx, byPriority, onDemand, 'on-demand', tags) : { made: [], errors: [] };
  const sp = spot > 0 ? fill(ctx, byPrice, spot, 'spot', tags) : { made: [], errors: [] };
  const f = fleets.add(ctx.region, {
    id: fleets.newId(),
    type,
    state: 'active',
    configs: (input.LaunchTemplateConfigs ?? []) as FleetLaunchTemplateConfig[],
    target: {
      TotalTargetCapacity: total,
      OnDemandTargetCapacity: onDemand,
      SpotTargetCapacity: spot,
      DefaultTargetCapacityType: kind,
    },
    instances: [...od.made, ...sp.made],
    errors: [...od.errors, ...sp.errors],
    created: now,
    clientToken: input.ClientToken,
  });
  setTags(ctx.region, f.id, tags.get('fleet') ?? []);
  if (type !== 'instant') return { FleetId: f.id };
  const Instances: CreateFleetInstance[] = groups(f.instances).map((g) => ({
    LaunchTemplateAndOverrides: g.config,
    Lifecycle: g.lifecycle,
    InstanceIds: g.ids,
    InstanceType: findInstanceRecord(ctx.region, g.ids[0]!, now)
      ?.instanceType as CreateFleetInstance['InstanceType'],
  }));
  return { FleetId: f.id, Instances, Errors: f.errors };
};

/**
 * TerminateInstances true ends the fleet's instances (deleted_terminating); false leaves them running
 * (deleted_running), which an instant fleet does not allow.
 */
const deleteFleets: Handler<DeleteFleetsCommandInput, Out<DeleteFleetsCommandOutput>> = (input, ctx) => {
  if (!input.FleetIds?.length) throw missingParameter('FleetId');
  if (input.TerminateInstances === undefined) throw missingParameter('TerminateInstances');
  checkDryRun(input);
  const ok: DeleteFleetSuccessItem[] = [];
  const failed: DeleteFleetErrorItem[] = [];
  for (const id of input.FleetIds) {
    const f = fleets.find(ctx, id);
    if (f?.state !== 'active') {
      failed.push({
        FleetId: id,
        Error: { Code: 'fleetIdDoesNotExist', Message: `The fleet ID '${id}' does not exist` },
      });
      continue;
    }
    if (f.type === 'instant' && !input.TerminateInstances) {
      failed.push({
        FleetId: id,
        Error: {
          Code: 'fleetNotInDeletableState',
          Message: 'An instant fleet can only be deleted with TerminateInstances.',
        },
      });
      continue;
    }
    const ids = live(ctx, f).map((i) => i.instanceId);
    if (input.TerminateInstances && ids.length) endInstances(ctx, ids);
    f.state = input.TerminateInstances ? 'deleted_terminating' : 'deleted_running';
    ok.push({ FleetId: id, PreviousFleetState: 'active', CurrentFleetState: f.state });
  }
  return { SuccessfulFleetDeletions: ok, UnsuccessfulFleetDeletions: failed };
};

const describeFleetInstances: Handler<
  DescribeFleetInstancesCommandInput,
  Out<DescribeFleetInstancesCommandOutput>
> = (input, ctx) => {
  const f = fleets.get(ctx, input.FleetId, 'FleetId');
  if (f.type === 'instant')
    throw invalidParameterValue('DescribeFleetInstances does not support fleets of type instant.');
  const rows = live(ctx, f).map((i, n) => ({ seq: n + 1, i }));
  const page = paginate(rows, input, { min: 1, max: 1000 });
  return {
    FleetId: f.id,
    ActiveInstances: page.items.map(({ i }) => {
      const r = findInstanceRecord(ctx.region, i.instanceId, ctx.clock.now())!;
      return {
        InstanceId: r.id,
        InstanceType: r.instanceType,
        SpotInstanceRequestId: r.spotRequestId,
        InstanceHealth: 'healthy',
      };
    }),
    NextToken: page.nextToken,
  };
};

export const fleetHandlers: HandlerMap = {
  CreateFleet: createFleet,
  DeleteFleets: deleteFleets,
  DescribeFleets: ((input, ctx) => {
    const page = fleets.describe(ctx, input, input.FleetIds);
    return { Fleets: page.items, NextToken: page.nextToken };
  }) satisfies Handler<DescribeFleetsCommandInput, Out<DescribeFleetsCommandOutput>>,
  DescribeFleetInstances: describeFleetInstances,
};
