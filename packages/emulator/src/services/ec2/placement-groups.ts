import type {
  CreatePlacementGroupCommandInput,
  CreatePlacementGroupCommandOutput,
  DeletePlacementGroupCommandInput,
  DeletePlacementGroupCommandOutput,
  DescribePlacementGroupsCommandInput,
  DescribePlacementGroupsCommandOutput,
  ModifyInstancePlacementCommandInput,
  ModifyInstancePlacementCommandOutput,
  PlacementGroup,
  PlacementStrategy,
  SpreadLevel,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { hostFor } from './dedicated-hosts';
import {
  idErrors,
  incorrectInstanceState,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  placementGroupDuplicate,
  placementGroupInUse,
  placementGroupUnknown,
} from './errors';
import { type InstanceRecord, liveInstances, onLaunch } from './instance-state';
import { resolveInstances } from './instances';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';

/**
 * Placement groups (cluster, spread, partition) and ModifyInstancePlacement
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-groups.html). A spread group holds
 * at most seven running instances per zone; a partition group has 1–7 partitions.
 */
export interface PlacementGroupRecord extends ResourceRecord {
  name: string;
  strategy: PlacementStrategy;
  partitionCount?: number | undefined;
  spreadLevel?: SpreadLevel | undefined;
}

const arn = (region: Region, name: string) =>
  `arn:aws:ec2:${region.name}:${region.accountId}:placement-group/${name}`;

export const placementGroups = defineFamily<PlacementGroupRecord, PlacementGroup>({
  prefix: 'pg',
  resourceType: 'placement-group',
  errors: idErrors({
    notFound: 'InvalidPlacementGroupId.NotFound',
    malformed: 'InvalidPlacementGroupId.Malformed',
    noun: 'placement group',
    prefix: 'pg',
    notFoundMessage: (ids) => `The Placement Group '${ids.join(', ')}' is unknown.`,
  }),
  shape: (g, view) => ({
    GroupName: g.name,
    GroupId: g.id,
    GroupArn: arn(view.region, g.name),
    State: 'available',
    Strategy: g.strategy,
    PartitionCount: g.partitionCount,
    SpreadLevel: g.spreadLevel,
    Tags: view.tags(g.id),
  }),
  filters: (view) => ({
    'group-name': (g) => g.name,
    'group-arn': (g) => arn(view.region, g.name),
    'spread-level': (g) => g.spreadLevel,
    state: () => 'available',
    strategy: (g) => g.strategy,
  }),
});

const byName = (scope: Scope, name: string) =>
  placementGroups.where(scope, (g) => g.name === name).next().value as PlacementGroupRecord | undefined;

function named(scope: Scope, name: string): PlacementGroupRecord {
  const g = byName(scope, name);
  if (!g) throw placementGroupUnknown(name);
  return g;
}

/** The group a Placement names by GroupName or GroupId. */
function groupOf(scope: Scope, o: { GroupName?: string | undefined; GroupId?: string | undefined }) {
  if (o.GroupName && o.GroupId) throw invalidParameterCombination('Specify GroupName or GroupId, not both.');
  if (o.GroupId) return placementGroups.get(scope, o.GroupId, 'GroupId');
  return o.GroupName ? named(scope, o.GroupName) : undefined;
}

const membersOf = (scope: Scope, g: PlacementGroupRecord): InstanceRecord[] =>
  [...liveInstances(scope.region, scope.clock.now())].filter(
    (i) => i.placementGroup === g.name && i.state !== 'terminated',
  );

const SPREAD_PER_ZONE = 7;

/** Checks that `count` more instances fit the group in `zone` and picks their partitions. */
function placeIn(
  scope: Scope,
  g: PlacementGroupRecord,
  zone: string,
  count: number,
  partition?: number,
): (i: number) => number | undefined {
  if (partition !== undefined && g.strategy !== 'partition')
    throw invalidParameterCombination(
      'A partition number can only be given for a partition placement group.',
    );
  if (g.strategy === 'spread') {
    const inZone = membersOf(scope, g).filter((i) => i.zone === zone && i.state !== 'stopped').length;
    if (inZone + count > SPREAD_PER_ZONE)
      throw invalidParameterValue(
        `A spread placement group can have at most ${SPREAD_PER_ZONE} running instances per Availability Zone.`,
      );
  }
  if (g.strategy !== 'partition') return () => undefined;
  const n = g.partitionCount ?? 2;
  if (partition !== undefined && (partition < 1 || partition > n))
    throw invalidParameterValue(
      `Value (${partition}) for parameter partitionNumber is invalid. The group has ${n} partitions.`,
    );
  const start = membersOf(scope, g).length;
  return (i) => partition ?? ((start + i) % n) + 1;
}

const STRATEGIES = ['cluster', 'spread', 'partition'];

const createPlacementGroup: Handler<
  CreatePlacementGroupCommandInput,
  Out<CreatePlacementGroupCommandOutput>
> = (input, ctx) => {
  const name = input.GroupName;
  if (!name) throw missingParameter('GroupName');
  if (name.length > 255)
    throw invalidParameterValue('The placement group name can be at most 255 characters.');
  const strategy = input.Strategy ?? 'cluster';
  if (!STRATEGIES.includes(strategy))
    throw invalidParameterValue(`Value (${strategy}) for parameter strategy is invalid.`);
  if (input.PartitionCount !== undefined) {
    if (strategy !== 'partition')
      throw invalidParameterCombination('PartitionCount is only valid for the partition strategy.');
    if (input.PartitionCount < 1 || input.PartitionCount > 7)
      throw invalidParameterValue(
        `Value (${input.PartitionCount}) for parameter partitionCount is invalid. Expected 1-7.`,
      );
  }
  if (input.SpreadLevel !== undefined && strategy !== 'spread')
    throw invalidParameterCombination('SpreadLevel is only valid for the spread strategy.');
  if (byName(ctx, name)) throw placementGroupDuplicate(name);
  const g = placementGroups.create(ctx, input, (id) => ({
    id,
    name,
    strategy,
    partitionCount: strategy === 'partition' ? (input.PartitionCount ?? 2) : undefined,
    spreadLevel: strategy === 'spread' ? (input.SpreadLevel ?? 'rack') : undefined,
  }));
  return { PlacementGroup: placementGroups.shape(ctx, g) };
};

const deletePlacementGroup: Handler<
  DeletePlacementGroupCommandInput,
  Out<DeletePlacementGroupCommandOutput>
> = (input, ctx) => {
  if (!input.GroupName) throw missingParameter('GroupName');
  const g = named(ctx, input.GroupName);
  placementGroups.delete(ctx, input, g.id, 'GroupId', () => {
    if (membersOf(ctx, g).length) throw placementGroupInUse(g.name);
  });
  return {};
};

const describePlacementGroups: Handler<
  DescribePlacementGroupsCommandInput,
  Out<DescribePlacementGroupsCommandOutput>
> = (input, ctx) => {
  const ids = [...(input.GroupIds ?? []), ...(input.GroupNames ?? []).map((n) => named(ctx, n).id)];
  const page = placementGroups.describe(ctx, { Filters: input.Filters }, ids);
  return { PlacementGroups: page.items };
};

onLaunch((scope, launch) => {
  const p = launch.input.Placement;
  const g = p && groupOf(scope, p);
  if (!g) {
    if (p?.PartitionNumber !== undefined)
      throw invalidParameterCombination('A partition number needs a partition placement group.');
    return undefined;
  }
  if (g.strategy === 'cluster' && launch.instanceType.startsWith('t'))
    throw invalidParameterCombination(
      `Cluster placement groups do not support the instance type ${launch.instanceType}.`,
    );
  const partitionOf = placeIn(scope, g, launch.zone, launch.count, p?.PartitionNumber);
  let i = 0;
  return (rec) => {
    rec.placementGroup = g.name;
    rec.partitionNumber = partitionOf(i++);
  };
});

/**
 * Moves a stopped instance into or out of a placement group, or changes its tenancy, host or affinity
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstancePlacement.html).
 */
const modifyInstancePlacement: Handler<
  ModifyInstancePlacementCommandInput,
  Out<ModifyInstancePlacementCommandOutput>
> = (input, ctx) => {
  const [rec] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const r = rec!;
  const edits: (() => void)[] = [];
  if (input.GroupName !== undefined || input.GroupId !== undefined) {
    // An empty GroupName takes the instance out of its group.
    const g = input.GroupName === '' ? undefined : groupOf(ctx, input);
    const partitionOf = g ? placeIn(ctx, g, r.zone, 1, input.PartitionNumber) : () => undefined;
    edits.push(() => {
      r.placementGroup = g?.name;
      r.partitionNumber = partitionOf(0);
    });
  }
  if (input.Tenancy !== undefined || input.HostId !== undefined) {
    const tenancy = input.Tenancy ?? 'host';
    if (tenancy !== 'host' && tenancy !== 'dedicated' && tenancy !== 'default')
      throw invalidParameterValue(`Value (${tenancy}) for parameter tenancy is invalid.`);
    const h = tenancy === 'host' ? hostFor(ctx, input.HostId, r.instanceType, r.zone, 1) : undefined;
    edits.push(() => {
      r.tenancy = tenancy;
      r.hostId = h?.id;
    });
  }
  if (input.Affinity !== undefined && input.Affinity !== 'default' && input.Affinity !== 'host')
    throw invalidParameterValue(`Value (${input.Affinity}) for parameter affinity is invalid.`);
  if (edits.length === 0 && input.Affinity === undefined) throw missingParameter('GroupName');
  if (r.state !== 'stopped')
    throw incorrectInstanceState(`The instance '${r.id}' is not in the 'stopped' state.`);
  for (const edit of edits) edit();
  return { Return: true };
};

export const placementGroupHandlers: HandlerMap = {
  CreatePlacementGroup: createPlacementGroup,
  DeletePlacementGroup: deletePlacementGroup,
  DescribePlacementGroups: describePlacementGroups,
  ModifyInstancePlacement: modifyInstancePlacement,
};
