import type {
  AllocateHostsCommandInput,
  AllocateHostsCommandOutput,
  AutoPlacement,
  DescribeHostsCommandInput,
  DescribeHostsCommandOutput,
  Host,
  HostRecovery,
  ModifyHostsCommandInput,
  ModifyHostsCommandOutput,
  ReleaseHostsCommandInput,
  ReleaseHostsCommandOutput,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  idErrors,
  insufficientHostCapacity,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { type InstanceRecord, liveInstances, onLaunch } from './instance-state';
import { allInstanceTypes, instanceTypeInfo } from './instance-types';
import { defineFamily, type ResourceRecord, type Scope, scopeAt } from './resource-family';
import { checkZone, zoneId } from './zones-regions';

/**
 * Dedicated Hosts: a physical server of one instance type (or of a family, for several sizes) in one
 * zone. Its capacity is the family's largest size in vCPUs; instances placed on it (Tenancy 'host')
 * use it up. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/dedicated-hosts-overview.html
 */
export interface HostRecord extends ResourceRecord {
  zone: string;
  instanceType?: string | undefined;
  family: string;
  autoPlacement: AutoPlacement;
  hostRecovery: HostRecovery;
  allocated: number;
  released?: number | undefined;
  clientToken?: string | undefined;
}

const familyOf = (type: string) => type.split('.')[0]!;
const vcpusOf = (type: string) => instanceTypeInfo(type)?.VCpuInfo?.DefaultVCpus ?? 1;

/** A host of a family has the vCPUs of the family's largest size (m5: 96). */
const hostVcpus = (family: string) =>
  Math.max(
    ...allInstanceTypes()
      .filter((t) => familyOf(t.InstanceType!) === family)
      .map((t) => t.VCpuInfo?.DefaultVCpus ?? 1),
  );

/** Non-terminated instances on the host (a stopped instance keeps its host affinity). */
const instancesOn = (scope: Scope, h: HostRecord): InstanceRecord[] =>
  [...liveInstances(scope.region, scope.clock.now())].filter(
    (i) => i.hostId === h.id && i.state !== 'terminated',
  );

const usedVcpus = (scope: Scope, h: HostRecord) =>
  instancesOn(scope, h).reduce((n, i) => n + vcpusOf(i.instanceType), 0);

function fits(scope: Scope, h: HostRecord, type: string): boolean {
  if (h.released !== undefined) return false;
  if (h.instanceType ? h.instanceType !== type : h.family !== familyOf(type)) return false;
  return usedVcpus(scope, h) + vcpusOf(type) <= hostVcpus(h.family);
}

export const hosts = defineFamily<HostRecord, Host>({
  prefix: 'h',
  resourceType: 'dedicated-host',
  errors: idErrors({
    notFound: 'InvalidHostID.NotFound',
    malformed: 'InvalidHostID.Malformed',
    noun: 'host',
    prefix: 'h',
    notFoundMessage: (ids) => `The host ID '${ids.join(', ')}' does not exist`,
  }),
  shape: (h, view) => {
    const scope = scopeAt(view.region, view.now);
    const total = hostVcpus(h.family);
    const used = usedVcpus(scope, h);
    const sizes = h.instanceType
      ? [h.instanceType]
      : allInstanceTypes()
          .filter((t) => familyOf(t.InstanceType!) === h.family)
          .map((t) => t.InstanceType!);
    return {
      HostId: h.id,
      AutoPlacement: h.autoPlacement,
      AvailabilityZone: h.zone,
      AvailabilityZoneId: zoneId(view.region.name, h.zone),
      AvailableCapacity: {
        AvailableInstanceCapacity: sizes.map((type) => ({
          InstanceType: type,
          AvailableCapacity: Math.floor((total - used) / vcpusOf(type)),
          TotalCapacity: Math.floor(total / vcpusOf(type)),
        })),
        AvailableVCpus: total - used,
      },
      HostProperties: {
        Cores: total / 2,
        Sockets: 2,
        TotalVCpus: total,
        InstanceType: h.instanceType,
        InstanceFamily: h.instanceType ? undefined : h.family,
      },
      Instances: instancesOn(scope, h).map((i) => ({
        InstanceId: i.id,
        InstanceType: i.instanceType,
        OwnerId: view.region.accountId,
      })),
      State: h.released !== undefined ? 'released' : 'available',
      AllocationTime: new Date(h.allocated),
      ReleaseTime: h.released !== undefined ? new Date(h.released) : undefined,
      HostRecovery: h.hostRecovery,
      AllowsMultipleInstanceTypes: h.instanceType ? 'off' : 'on',
      OwnerId: view.region.accountId,
      MemberOfServiceLinkedResourceGroup: false,
      HostMaintenance: 'on',
      ClientToken: h.clientToken,
      Tags: view.tags(h.id),
    };
  },
  filters: () => ({
    'auto-placement': (h) => h.autoPlacement,
    'availability-zone': (h) => h.zone,
    'client-token': (h) => h.clientToken,
    'host-reservation-id': () => undefined,
    'instance-type': (h) => h.instanceType,
    state: (h) => (h.released !== undefined ? 'released' : 'available'),
  }),
  paging: { min: 5, max: 500 },
});

const onOff = (name: string, v: string | undefined) => {
  if (v !== undefined && v !== 'on' && v !== 'off')
    throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid.`);
};

/** The type or family a host is for; burstable families have no Dedicated Hosts. */
function hostKind(type: string | undefined, family: string | undefined) {
  if (type && family)
    throw invalidParameterCombination('Specify either InstanceType or InstanceFamily, not both.');
  if (!type && !family) throw missingParameter('InstanceType');
  const f = family ?? familyOf(type!);
  const members = allInstanceTypes().filter((t) => familyOf(t.InstanceType!) === f);
  if (type && !instanceTypeInfo(type)) throw invalidParameterValue(`Invalid instance type: ${type}`);
  if (!members.length) throw invalidParameterValue(`Invalid instance family: ${f}`);
  if (!members[0]!.DedicatedHostsSupported)
    throw invalidParameterValue(`Dedicated Hosts are not supported for the ${f} instance family.`);
  return { instanceType: type, family: f };
}

const allocateHosts: Handler<AllocateHostsCommandInput, Out<AllocateHostsCommandOutput>> = (input, ctx) => {
  if (!input.AvailabilityZone) throw missingParameter('AvailabilityZone');
  checkZone(ctx.region, input.AvailabilityZone);
  const kind = hostKind(input.InstanceType, input.InstanceFamily);
  onOff('autoPlacement', input.AutoPlacement);
  onOff('hostRecovery', input.HostRecovery);
  const quantity = input.Quantity ?? 1;
  if (quantity < 1) throw invalidParameterValue(`Value (${quantity}) for parameter quantity is invalid.`);
  const ids: string[] = [];
  // Every host is checked (tags, DryRun) by the first create; the rest cannot fail.
  for (let n = 0; n < quantity; n++)
    ids.push(
      hosts.create(ctx, input, (id) => ({
        id,
        zone: input.AvailabilityZone!,
        ...kind,
        autoPlacement: input.AutoPlacement ?? 'off',
        hostRecovery: input.HostRecovery ?? 'off',
        allocated: ctx.clock.now(),
        clientToken: input.ClientToken,
      })).id,
    );
  return { HostIds: ids };
};

/** A host with instances on it is not released; the others are, each on its own. */
const releaseHosts: Handler<ReleaseHostsCommandInput, Out<ReleaseHostsCommandOutput>> = (input, ctx) => {
  if (!input.HostIds?.length) throw missingParameter('HostId');
  const Successful: string[] = [];
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of input.HostIds) {
    const h = hosts.find(ctx, id);
    if (!h || h.released !== undefined)
      Unsuccessful.push({
        ResourceId: id,
        Error: { Code: 'Client.InvalidHostID.NotFound', Message: `Host ${id} does not exist` },
      });
    else if (instancesOn(ctx, h).length)
      Unsuccessful.push({
        ResourceId: id,
        Error: {
          Code: 'Client.InvalidHost.Occupied',
          Message: `Host ${id} has running instances and cannot be released`,
        },
      });
    else {
      h.released = ctx.clock.now();
      Successful.push(id);
    }
  }
  return { Successful, Unsuccessful };
};

const modifyHosts: Handler<ModifyHostsCommandInput, Out<ModifyHostsCommandOutput>> = (input, ctx) => {
  if (!input.HostIds?.length) throw missingParameter('HostId');
  onOff('autoPlacement', input.AutoPlacement);
  onOff('hostRecovery', input.HostRecovery);
  const kind =
    input.InstanceType || input.InstanceFamily
      ? hostKind(input.InstanceType, input.InstanceFamily)
      : undefined;
  if (!kind && input.AutoPlacement === undefined && input.HostRecovery === undefined)
    throw missingParameter('AutoPlacement');
  const Successful: string[] = [];
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of input.HostIds) {
    const h = hosts.find(ctx, id);
    if (!h || h.released !== undefined) {
      Unsuccessful.push({
        ResourceId: id,
        Error: { Code: 'Client.InvalidHostID.NotFound', Message: `Host ${id} does not exist` },
      });
      continue;
    }
    if (kind && instancesOn(ctx, h).length) {
      Unsuccessful.push({
        ResourceId: id,
        Error: {
          Code: 'Client.InvalidHost.Occupied',
          Message: `Host ${id} must have no instances to change what it supports`,
        },
      });
      continue;
    }
    if (input.AutoPlacement) h.autoPlacement = input.AutoPlacement;
    if (input.HostRecovery) h.hostRecovery = input.HostRecovery;
    if (kind) {
      h.instanceType = kind.instanceType;
      h.family = kind.family;
    }
    Successful.push(id);
  }
  return { Successful, Unsuccessful };
};

/**
 * Where an instance of `type` goes for Tenancy 'host': the named host, or a host with auto-placement
 * on and room in the zone. Throws when there is none.
 */
export function hostFor(
  scope: Scope,
  hostId: string | undefined,
  type: string,
  zone: string,
  count: number,
): HostRecord {
  if (hostId) {
    const h = hosts.get(scope, hostId, 'HostId');
    if (h.released !== undefined) throw invalidParameterValue(`Host ${h.id} has been released.`);
    if (h.zone !== zone)
      throw invalidParameterValue(`Host ${h.id} is in ${h.zone}, not in the instance's zone ${zone}.`);
    if (!fitsMany(scope, h, type, count)) throw insufficientHostCapacity();
    return h;
  }
  for (const h of hosts.list(scope))
    if (h.autoPlacement === 'on' && h.zone === zone && fitsMany(scope, h, type, count)) return h;
  throw insufficientHostCapacity();
}

const fitsMany = (scope: Scope, h: HostRecord, type: string, count: number) =>
  fits(scope, h, type) && usedVcpus(scope, h) + count * vcpusOf(type) <= hostVcpus(h.family);

// RunInstances: Tenancy 'host' (or a HostId) places the instances on a Dedicated Host.
onLaunch((scope, launch) => {
  const p = launch.input.Placement;
  const tenancy = p?.Tenancy ?? (p?.HostId ? 'host' : undefined);
  if (tenancy === undefined || tenancy === 'default') return undefined;
  if (tenancy === 'dedicated')
    return (rec) => {
      rec.tenancy = 'dedicated';
    };
  if (tenancy !== 'host') throw invalidParameterValue(`Value (${tenancy}) for parameter tenancy is invalid.`);
  const h = hostFor(scope, p?.HostId, launch.instanceType, launch.zone, launch.count);
  return (rec) => {
    rec.tenancy = 'host';
    rec.hostId = h.id;
  };
});

export const dedicatedHostHandlers: HandlerMap = {
  AllocateHosts: allocateHosts,
  DescribeHosts: ((input, ctx) => {
    const page = hosts.describe(ctx, { ...input, Filters: input.Filter }, input.HostIds);
    return { Hosts: page.items, NextToken: page.nextToken };
  }) satisfies Handler<DescribeHostsCommandInput, Out<DescribeHostsCommandOutput>>,
  ReleaseHosts: releaseHosts,
  ModifyHosts: modifyHosts,
};
