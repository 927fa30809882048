import { createHash } from 'node:crypto';
import type {
  DescribeInstancesCommandInput,
  DescribeInstancesCommandOutput,
  Instance,
  InstanceStateChange,
  InstanceStateName,
  RebootInstancesCommandInput,
  RebootInstancesCommandOutput,
  Reservation,
  RunInstancesCommandInput,
  RunInstancesCommandOutput,
  StartInstancesCommandInput,
  StartInstancesCommandOutput,
  StopInstancesCommandInput,
  StopInstancesCommandOutput,
  TerminateInstancesCommandInput,
  TerminateInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region, RequestContext } from '../../core/types';
import {
  checkDryRun,
  idempotentParameterMismatch,
  incorrectInstanceState,
  instanceMalformed,
  instanceNotFound,
  insufficientFreeAddresses,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  operationNotPermitted,
} from './errors';
import { compileFilters } from './filters';
import { isWellFormedId, newId } from './ids';
import { findImage } from './images';
import { instanceFilters, instanceShape, STATE_CODES } from './instance-shape';
import {
  findInstanceRecord,
  type InstanceRecord,
  instanceState,
  launchSteps,
  liveInstances,
  transition,
} from './instance-state';
import { instanceTypeInfo } from './instance-types';
import { findKeyPair } from './key-pairs';
import { launchTemplateTags, mergeLaunchTemplate, resolveLaunchTemplate } from './launch-templates';
import {
  addressesInUse,
  interfacesOf,
  launchInterfaces,
  launchSubnetOf,
  networkInterfaces,
  planInterfaces,
} from './network-interfaces';
import { allocatePublicIp, network } from './network-state';
import { paginate } from './paging';
import { defaultGroupOf, findGroup, findGroupByName } from './security-groups';
import {
  defaultSubnetFor,
  findSubnet,
  freeAddresses,
  reclaimPrivateIps,
  type SubnetRecord,
  subnets,
} from './subnets';
import { registerTaggable, setTags, tagReader, tagsFromSpecifications } from './tags';
import { createRootVolume } from './volumes';
import { checkZone } from './zones-regions';

/** RunInstances, DescribeInstances and the state actions: start, stop, reboot, terminate. */

/** Malformed ids fail first, then every unknown id is named in one NotFound, as AWS does. */
export function resolveInstances(
  region: Region,
  ids: readonly string[] | undefined,
  now: number,
): InstanceRecord[] {
  if (!ids || ids.length === 0) throw missingParameter('InstanceId');
  for (const id of ids) if (!isWellFormedId('i', id)) throw instanceMalformed(id);
  const out: InstanceRecord[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const rec = findInstanceRecord(region, id, now);
    if (rec) out.push(rec);
    else missing.push(id);
  }
  if (missing.length) throw instanceNotFound(missing);
  return out;
}

/** "User initiated (2026-01-01 10:00:00 GMT)", the StateTransitionReason EC2 writes. */
const userInitiated = (now: number) =>
  `User initiated (${new Date(now).toISOString().slice(0, 19).replace('T', ' ')} GMT)`;

const USER_SHUTDOWN = {
  Code: 'Client.UserInitiatedShutdown',
  Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
};
const PENDING_REASON = { Code: 'pending', Message: 'pending' };

const stateOf = (name: InstanceStateName) => ({ Code: STATE_CODES[name], Name: name });

function reservationsOf(region: Region, recs: readonly InstanceRecord[]): Reservation[] {
  const tags = tagReader(region);
  const byReservation = new Map<string, Instance[]>();
  for (const rec of recs) {
    let list = byReservation.get(rec.reservationId);
    if (!list) {
      list = [];
      byReservation.set(rec.reservationId, list);
    }
    list.push(instanceShape(region, rec, tags(rec.id)));
  }
  return [...byReservation].map(([ReservationId, Instances]) => ({
    ReservationId,
    OwnerId: region.accountId,
    Groups: [],
    Instances,
  }));
}

function placement(ctx: RequestContext, input: RunInstancesCommandInput): SubnetRecord {
  const nic = primarySpec(input);
  const subnetId = input.SubnetId ?? nic?.SubnetId;
  const zone = input.Placement?.AvailabilityZone;
  const existing = launchSubnetOf(ctx, nic);
  if (subnetId || existing) {
    const s = existing ?? findSubnet(ctx.region, subnetId!);
    if (zone && zone !== s.zone)
      throw invalidParameterValue(
        `Value (${zone}) for parameter availabilityZone is invalid. Subnet '${s.id}' is in the availability zone ${s.zone}`,
      );
    return s;
  }
  if (zone) checkZone(ctx.region, zone);
  if (!network(ctx.region).defaultVpcId) throw missingParameter('SubnetId');
  return defaultSubnetFor(ctx.region, zone ?? ctx.region.zones[0]!);
}

/** The primary interface's specification (device index 0), if the call gives NetworkInterfaces. */
const primarySpec = (input: RunInstancesCommandInput) =>
  input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);

function groupsFor(ctx: RequestContext, input: RunInstancesCommandInput, subnet: SubnetRecord): string[] {
  const nic = primarySpec(input);
  // An existing primary interface brings its own groups (RunInstances refuses others beside it).
  if (nic?.NetworkInterfaceId) {
    if (input.SecurityGroupIds?.length || input.SecurityGroups?.length || nic.Groups?.length)
      throw invalidParameterCombination(
        'Network interfaces and an instance-level security groups may not be specified on the same request',
      );
    return [...networkInterfaces.get(ctx, nic.NetworkInterfaceId, 'NetworkInterfaceId').groupIds];
  }
  const ids = [...(input.SecurityGroupIds ?? []), ...(nic?.Groups ?? [])];
  const groups = [
    ...ids.map((id) => findGroup(ctx.region, id)),
    ...(input.SecurityGroups ?? []).map((n) => findGroupByName(ctx.region, n, subnet.vpcId)),
  ];
  for (const g of groups)
    if (g.vpcId !== subnet.vpcId)
      throw invalidParameterValue(
        `Security group ${g.id} and subnet ${subnet.id} belong to different networks.`,
      );
  if (groups.length === 0) return [defaultGroupOf(ctx.region, subnet.vpcId).id];
  return [...new Set(groups.map((g) => g.id))];
}

/** The request minus its token and DryRun: a reused ClientToken must come with the same request. */
const fingerprint = (input: RunInstancesCommandInput) =>
  createHash('sha1')
    .update(JSON.stringify({ ...input, ClientToken: undefined, DryRun: undefined }))
    .digest('hex');

/**
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html. Launches MaxCount
 * instances into the subnet (or the default subnet of the zone). A ClientToken seen before answers
 * the same reservation and launches nothing
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
 */
const runInstances: Handler<RunInstancesCommandInput, Out<RunInstancesCommandOutput>> = (call, ctx) => {
  const now = ctx.clock.now();
  const st = instanceState(ctx.region);
  if (call.ClientToken) {
    const seen = st.tokens.get(call.ClientToken);
    if (seen) {
      if (seen.fingerprint !== fingerprint(call)) throw idempotentParameterMismatch(call.ClientToken);
      const r = st.reservations.get(seen.reservationId)!;
      const recs = r.instanceIds.map((id) => st.byId.get(id)).filter((x): x is InstanceRecord => !!x);
      for (const rec of recs) findInstanceRecord(ctx.region, rec.id, now);
      return (
        reservationsOf(ctx.region, recs)[0] ?? {
          ReservationId: seen.reservationId,
          OwnerId: ctx.region.accountId,
          Groups: [],
          Instances: [],
        }
      );
    }
  }
  // A launch template's data, with the call's own parameters over it.
  const template = call.LaunchTemplate ? resolveLaunchTemplate(ctx, call.LaunchTemplate) : undefined;
  const input = template ? mergeLaunchTemplate(template.data, call) : call;
  if (input.MinCount === undefined) throw missingParameter('MinCount');
  if (input.MaxCount === undefined) throw missingParameter('MaxCount');
  if (input.MinCount < 1)
    throw invalidParameterValue(
      `Value (${input.MinCount}) for parameter minCount is invalid. Expected a value greater than or equal to 1.`,
    );
  if (input.MaxCount < input.MinCount)
    throw invalidParameterValue(
      `Value (${input.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount.`,
    );
  if (!input.ImageId) throw missingParameter('ImageId');
  const image = findImage(ctx.region, input.ImageId).image;
  const instanceType = input.InstanceType ?? 'm1.small';
  const typeInfo = instanceTypeInfo(instanceType);
  if (!typeInfo) throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  if (!typeInfo.ProcessorInfo?.SupportedArchitectures?.includes(image.Architecture as 'x86_64'))
    throw invalidParameterValue(
      `The architecture '${typeInfo.ProcessorInfo?.SupportedArchitectures?.[0]}' of the specified instance type does not match the architecture '${image.Architecture}' of the specified AMI.`,
    );
  if (input.KeyName) findKeyPair(ctx.region, input.KeyName);
  const subnet = placement(ctx, input);
  const groupIds = groupsFor(ctx, input, subnet);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['instance', 'volume', 'network-interface']);
  const interfaces = planInterfaces(ctx, {
    subnet,
    groupIds,
    count: input.MaxCount,
    instanceType,
    privateIp: input.PrivateIpAddress,
    specs: input.NetworkInterfaces,
  });
  const behaviour = input.InstanceInitiatedShutdownBehavior ?? 'stop';
  if (behaviour !== 'stop' && behaviour !== 'terminate')
    throw invalidParameterValue(
      `Value (${behaviour}) for parameter instanceInitiatedShutdownBehavior is invalid.`,
    );
  // RunInstances launches as many as fit, from MinCount up to MaxCount.
  if (freeAddresses(subnet) < input.MaxCount) {
    reclaimPrivateIps(subnet, addressesInUse(ctx, subnet.id));
  }
  const count = Math.min(input.MaxCount, freeAddresses(subnet));
  if (count < input.MinCount) throw insufficientFreeAddresses(subnet.id);
  const launch = {
    input,
    instanceType,
    zone: subnet.zone,
    subnetId: subnet.id,
    count,
    platform: image.PlatformDetails ?? 'Linux/UNIX',
  };
  const steps = launchSteps.flatMap((step) => step(ctx, launch) ?? []);
  checkDryRun(input);

  const root = image.BlockDeviceMappings?.[0];
  const rootOverride = input.BlockDeviceMappings?.find((b) => b.DeviceName === image.RootDeviceName)?.Ebs;
  const publicIp = primarySpec(input)?.AssociatePublicIpAddress ?? subnet.mapPublicIpOnLaunch;
  const reservationId = newId('r');
  const ids: string[] = [];
  const recs: InstanceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId('i');
    const eni = launchInterfaces(ctx, interfaces, id, now);
    const rec: InstanceRecord = {
      seq: st.seq.next(),
      id,
      reservationId,
      imageId: image.ImageId!,
      instanceType,
      keyName: input.KeyName,
      groupIds,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      zone: subnet.zone,
      privateIp: eni.privateIps[0]!,
      publicIp: publicIp ? allocatePublicIp(ctx.region) : undefined,
      launchTime: now,
      userData: input.UserData,
      disableApiTermination: input.DisableApiTermination ?? false,
      disableApiStop: input.DisableApiStop ?? false,
      shutdownBehavior: behaviour,
      sourceDestCheck: true,
      ebsOptimized: input.EbsOptimized ?? false,
      rootDeviceName: image.RootDeviceName ?? '/dev/xvda',
      rootVolumeId: '',
      clientToken: input.ClientToken,
      launchIndex: i,
      platform: (image.Platform as string | undefined) === 'windows' ? 'windows' : undefined,
      platformDetails: image.PlatformDetails ?? 'Linux/UNIX',
      architecture: image.Architecture ?? 'x86_64',
      eniId: eni.id,
      eniAttachmentId: eni.attachment!.id,
      macAddress: eni.macAddress,
      state: 'pending',
      since: now,
      visibleFor: ctx.delays.terminatedVisible,
      transitionReason: '',
      stateReason: PENDING_REASON,
    };
    transition(ctx.region, rec, now, 'pending', 'running', ctx.delays.pending);
    const vol = createRootVolume(ctx.region, {
      zone: subnet.zone,
      instanceId: id,
      device: rec.rootDeviceName,
      size: rootOverride?.VolumeSize ?? root?.Ebs?.VolumeSize ?? 8,
      type: rootOverride?.VolumeType ?? root?.Ebs?.VolumeType ?? 'gp3',
      snapshotId: root?.Ebs?.SnapshotId ?? '',
      now,
    });
    rec.rootVolumeId = vol.id;
    st.byId.set(id, rec);
    for (const step of steps) step(rec);
    setTags(ctx.region, id, tags.get('instance') ?? []);
    if (template) setTags(ctx.region, id, launchTemplateTags(template));
    setTags(ctx.region, vol.id, tags.get('volume') ?? []);
    for (const e of interfacesOf(ctx.region, id))
      if (!interfaces.interfaces.some((p) => p.existing === e))
        setTags(ctx.region, e.id, tags.get('network-interface') ?? []);
    ids.push(id);
    recs.push(rec);
  }
  st.reservations.set(reservationId, { ownerId: ctx.region.accountId, instanceIds: ids });
  if (call.ClientToken) st.tokens.set(call.ClientToken, { reservationId, fingerprint: fingerprint(call) });
  return reservationsOf(ctx.region, recs)[0]!;
};

/**
 * DescribeInstances: by id in O(ids), otherwise a scan in launch order, paged by MaxResults
 * (5–1000) and grouped into reservations. AWS refuses MaxResults together with InstanceIds.
 */
const describeInstances: Handler<DescribeInstancesCommandInput, Out<DescribeInstancesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const tags = tagReader(ctx.region);
  const keep = compileFilters(input.Filters, instanceFilters(ctx.region), (r) => tags(r.id));
  if (input.InstanceIds?.length) {
    if (input.MaxResults !== undefined)
      throw invalidParameterCombination(
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    const recs = resolveInstances(ctx.region, input.InstanceIds, now).filter(keep);
    return { Reservations: reservationsOf(ctx.region, recs) };
  }
  function* matching(): Generator<InstanceRecord> {
    for (const rec of liveInstances(ctx.region, now)) if (keep(rec)) yield rec;
  }
  const page = paginate(matching(), input, { min: 5, max: 1000 });
  return { Reservations: reservationsOf(ctx.region, page.items), NextToken: page.nextToken };
};

function changes(
  recs: readonly InstanceRecord[],
  apply: (rec: InstanceRecord) => void,
): InstanceStateChange[] {
  return recs.map((rec) => {
    const PreviousState = stateOf(rec.state);
    apply(rec);
    return { InstanceId: rec.id, PreviousState, CurrentState: stateOf(rec.state) };
  });
}

const startInstances: Handler<StartInstancesCommandInput, Out<StartInstancesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const recs = resolveInstances(ctx.region, input.InstanceIds, now);
  for (const r of recs)
    if (r.state !== 'stopped' && r.state !== 'pending' && r.state !== 'running')
      throw incorrectInstanceState(`The instance '${r.id}' is not in a state from which it can be started.`);
  checkDryRun(input);
  const StartingInstances = changes(recs, (r) => {
    if (r.state !== 'stopped') return;
    transition(ctx.region, r, now, 'pending', 'running', ctx.delays.pending);
    r.transitionReason = '';
    r.stateReason = PENDING_REASON;
    const subnet = subnets.find(ctx, r.subnetId);
    if (r.publicIp === undefined && subnet?.mapPublicIpOnLaunch) r.publicIp = allocatePublicIp(ctx.region);
  });
  return { StartingInstances };
};

/** A stopped instance gives its auto-assigned public address back; it gets a new one on start. */
const stopInstances: Handler<StopInstancesCommandInput, Out<StopInstancesCommandOutput>> = (input, ctx) => {
  const now = ctx.clock.now();
  const recs = resolveInstances(ctx.region, input.InstanceIds, now);
  for (const r of recs) {
    if (r.state === 'shutting-down' || r.state === 'terminated')
      throw incorrectInstanceState(`This instance '${r.id}' is not in a state from which it can be stopped.`);
    if (r.disableApiStop && (r.state === 'running' || r.state === 'pending'))
      throw operationNotPermitted(
        `The instance '${r.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`,
      );
  }
  checkDryRun(input);
  // Force settles at once here; the answer still says 'stopping', as AWS's does.
  const StoppingInstances = recs.map((r): InstanceStateChange => {
    const PreviousState = stateOf(r.state);
    if (r.state === 'running' || r.state === 'pending') {
      r.transitionReason = userInitiated(now);
      r.stateReason = USER_SHUTDOWN;
      r.publicIp = undefined;
      r.rebootUntil = undefined;
      transition(ctx.region, r, now, 'stopping', 'stopped', input.Force ? 0 : ctx.delays.stopping);
      return { InstanceId: r.id, PreviousState, CurrentState: stateOf('stopping') };
    }
    if (r.state === 'stopping' && input.Force) transition(ctx.region, r, now, 'stopped');
    return { InstanceId: r.id, PreviousState, CurrentState: PreviousState };
  });
  return { StoppingInstances };
};

const rebootInstances: Handler<RebootInstancesCommandInput, Out<RebootInstancesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const recs = resolveInstances(ctx.region, input.InstanceIds, now);
  for (const r of recs)
    if (r.state !== 'running' && r.state !== 'pending')
      throw incorrectInstanceState(`The instance '${r.id}' is not in a state from which it can be rebooted.`);
  checkDryRun(input);
  for (const r of recs) if (r.state === 'running') r.rebootUntil = now + ctx.delays.rebooting;
  return {};
};

/** Termination protection refuses the whole call, as AWS does. */
const terminateInstances: Handler<TerminateInstancesCommandInput, Out<TerminateInstancesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const recs = resolveInstances(ctx.region, input.InstanceIds, now);
  for (const r of recs)
    if (r.disableApiTermination && r.state !== 'terminated' && r.state !== 'shutting-down')
      throw operationNotPermitted(
        `The instance '${r.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
  checkDryRun(input);
  const TerminatingInstances = changes(recs, (r) => {
    if (r.state === 'terminated' || r.state === 'shutting-down') return;
    r.transitionReason = userInitiated(now);
    r.stateReason = USER_SHUTDOWN;
    r.publicIp = undefined;
    r.rebootUntil = undefined;
    r.visibleFor = ctx.delays.terminatedVisible;
    transition(ctx.region, r, now, 'shutting-down', 'terminated', ctx.delays.shuttingDown);
  });
  return { TerminatingInstances };
};

registerTaggable('i', {
  resourceType: 'instance',
  check: (region, id, now) => void resolveInstances(region, [id], now),
});

/** RunInstances and TerminateInstances themselves, for the families that launch instances (spot requests, fleets). */
export const launchInstances = runInstances;
export const endInstances = (ctx: RequestContext, ids: string[]) =>
  terminateInstances({ InstanceIds: ids }, ctx);

export const instanceHandlers: HandlerMap = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  StartInstances: startInstances,
  StopInstances: stopInstances,
  RebootInstances: rebootInstances,
  TerminateInstances: terminateInstances,
};
