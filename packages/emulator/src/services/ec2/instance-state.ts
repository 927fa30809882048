import type {
  CapacityReservationPreference,
  InstanceAutoRecoveryState,
  InstanceMetadataOptionsResponse,
  InstanceStateName,
  RunInstancesCommandInput,
  StateReason,
  Tenancy,
} from '@aws-sdk/client-ec2';
import { instanceStateEntered } from '../../core/instance-events';
import type { Region } from '../../core/types';
import { sequence } from './ids';
import type { Scope } from './resource-family';
import { subnets } from './subnets';
import { vpcs } from './vpcs';

/**
 * The instances of a region and their lifecycle. A transition stores when it started and when it
 * settles; the state at any moment is derived from the clock on read. A timer at the settling moment
 * settles it too, so each state entered is reported once, at its own time, read or not
 * (EventBridge's state-change events).
 */
export interface InstanceRecord {
  seq: number;
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  keyName?: string | undefined;
  groupIds: string[];
  subnetId: string;
  vpcId: string;
  zone: string;
  privateIp: string;
  /** The auto-assigned public address; a stopped instance loses it. */
  publicIp?: string | undefined;
  /** Set by the addresses family while an Elastic IP is associated. */
  elasticIp?: string | undefined;
  launchTime: number;
  userData?: string | undefined;
  disableApiTermination: boolean;
  disableApiStop: boolean;
  shutdownBehavior: 'stop' | 'terminate';
  sourceDestCheck: boolean;
  ebsOptimized: boolean;
  rootDeviceName: string;
  rootVolumeId: string;
  clientToken?: string | undefined;
  launchIndex: number;
  platform?: 'windows' | undefined;
  platformDetails: string;
  architecture: string;
  eniId: string;
  eniAttachmentId: string;
  macAddress: string;
  /** The state as of `since`. */
  state: InstanceStateName;
  since: number;
  /** A transitional state settles into `settlesTo` at `settlesAt`. */
  settlesTo?: InstanceStateName | undefined;
  settlesAt?: number | undefined;
  /** How long this instance stays visible once terminated (the delay in force when it was terminated). */
  visibleFor: number;
  transitionReason: string;
  stateReason?: StateReason | undefined;
  /** A reboot keeps the state 'running' but the instance is down until then (ELB health reads it). */
  rebootUntil?: number | undefined;
  // Set by the compute families at launch (launch steps below) and by their Modify* actions.
  /** Instance metadata service options (RunInstances MetadataOptions, ModifyInstanceMetadataOptions). */
  metadataOptions?: InstanceMetadataOptionsResponse | undefined;
  /** 'standard' or 'unlimited' for burstable types. */
  cpuCredits?: string | undefined;
  monitoring?: boolean | undefined;
  placementGroup?: string | undefined;
  partitionNumber?: number | undefined;
  tenancy?: Tenancy | undefined;
  hostId?: string | undefined;
  capacityReservationId?: string | undefined;
  capacityReservationPreference?: CapacityReservationPreference | undefined;
  /** A spot instance's request (InstanceLifecycle 'spot'). */
  spotRequestId?: string | undefined;
  /** The associated IAM instance profile, if any. */
  iamProfile?: { arn: string; id: string } | undefined;
  autoRecovery?: InstanceAutoRecoveryState | undefined;
}

/** What RunInstances asks of a family beside the instances family's own checks. */
export interface LaunchRequest {
  input: RunInstancesCommandInput;
  instanceType: string;
  zone: string;
  subnetId: string;
  count: number;
  platform: string;
}

/**
 * A family's part in RunInstances: it validates the request (and throws, before anything changes),
 * then answers what to do to each new instance once it exists, if anything.
 */
export type LaunchStep = (scope: Scope, launch: LaunchRequest) => ((rec: InstanceRecord) => void) | undefined;

export const launchSteps: LaunchStep[] = [];
/** Placement groups, IAM profiles, metadata and credit options, spot and capacity reservations add theirs. */
export const onLaunch = (step: LaunchStep) => void launchSteps.push(step);

interface InstanceState {
  seq: ReturnType<typeof sequence>;
  byId: Map<string, InstanceRecord>;
  reservations: Map<string, { ownerId: string; instanceIds: string[] }>;
  /** ClientToken → reservation id and a fingerprint of the request, for idempotent RunInstances. */
  tokens: Map<string, { reservationId: string; fingerprint: string }>;
}

export const instanceState = (region: Region) =>
  region.slot<InstanceState>('ec2.instances', () => ({
    seq: sequence(),
    byId: new Map(),
    reservations: new Map(),
    tokens: new Map(),
  }));

/** Settles a transition whose time has come and answers whether the instance is still visible. */
function settle(region: Region, rec: InstanceRecord, now: number): boolean {
  if (rec.settlesTo !== undefined && now >= rec.settlesAt!) {
    rec.state = rec.settlesTo;
    rec.since = rec.settlesAt!;
    rec.settlesTo = undefined;
    rec.settlesAt = undefined;
    if (rec.state === 'running') rec.stateReason = undefined;
    instanceStateEntered(region, { instanceId: rec.id, state: rec.state, time: rec.since });
  }
  return !(rec.state === 'terminated' && now >= rec.since + rec.visibleFor);
}

/** Starts a transition at `now`: into `state`, settling into `settlesTo` after `delay`. */
export function transition(
  region: Region,
  rec: InstanceRecord,
  now: number,
  state: InstanceStateName,
  settlesTo?: InstanceStateName,
  delay = 0,
): void {
  rec.state = state;
  rec.since = now;
  rec.settlesTo = settlesTo;
  rec.settlesAt = settlesTo === undefined ? undefined : now + delay;
  instanceStateEntered(region, { instanceId: rec.id, state, time: now });
  if (settlesTo === undefined) return;
  if (delay <= 0) settle(region, rec, now);
  // A later transition supersedes this one; the timer then finds nothing due and does nothing.
  else region.env.at(rec.settlesAt!, () => settle(region, rec, region.env.clock.now()));
}

/** The instance as of `now`, or undefined when it never existed or has vanished after termination. */
export function findInstanceRecord(region: Region, id: string, now: number): InstanceRecord | undefined {
  const st = instanceState(region);
  const rec = st.byId.get(id);
  if (!rec) return undefined;
  if (settle(region, rec, now)) return rec;
  st.byId.delete(id);
  return undefined;
}

/** Every visible instance as of `now`, in launch order; vanished ones are dropped on the way. */
export function* liveInstances(region: Region, now: number): Generator<InstanceRecord> {
  const byId = instanceState(region).byId;
  for (const rec of byId.values()) {
    if (settle(region, rec, now)) yield rec;
    else byId.delete(rec.id);
  }
}

/** Instances that are not terminated keep their subnet and VPC from being deleted. */
function hasInstance(scope: Scope, where: (i: InstanceRecord) => boolean) {
  for (const i of liveInstances(scope.region, scope.clock.now()))
    if (i.state !== 'terminated' && where(i)) return true;
  return false;
}
vpcs.blockedBy('instances', (scope, vpc) => hasInstance(scope, (i) => i.vpcId === vpc.id));
subnets.blockedBy('instances', (scope, subnet) => hasInstance(scope, (i) => i.subnetId === subnet.id));
