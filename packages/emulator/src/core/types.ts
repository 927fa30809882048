import type { Clock } from './clock';
import { detachedEnv, type EmulatorEnv } from './env';

/** The services the emulator speaks: EC2 and Classic ELB, and SQS and EventBridge for state-change events. */
export type ServiceName = 'ec2' | 'elb' | 'sqs' | 'events';

/** Transition delays in milliseconds; configurable per emulator and changeable at run time. */
export interface Delays {
  /** pending → running */
  pending: number;
  /** stopping → stopped */
  stopping: number;
  /** shutting-down → terminated */
  shuttingDown: number;
  /** rebooting keeps the instance running, but it is unavailable for this long (ELB health) */
  rebooting: number;
  /** how long a terminated instance stays visible in DescribeInstances */
  terminatedVisible: number;
}

export const defaultDelays: Delays = {
  pending: 5_000,
  stopping: 5_000,
  shuttingDown: 5_000,
  rebooting: 2_000,
  terminatedVisible: 60 * 60_000,
};

/**
 * State of one region. Each resource family keeps its own state in a typed slot, created on first use,
 * so families stay independent of each other (one file per family, no god object).
 */
export class Region {
  private readonly slots = new Map<string, unknown>();
  /** Timers, the other regions and emulator-wide slots of the emulator this region belongs to. */
  readonly env: EmulatorEnv;
  constructor(
    readonly name: string,
    /** The account id the emulator answers with (OwnerId and the like). */
    readonly accountId: string,
    env?: EmulatorEnv,
  ) {
    this.env = env ?? detachedEnv(() => this);
  }
  /** The availability zones of this region: `${name}a`, `${name}b`, `${name}c`. */
  get zones(): string[] {
    return ['a', 'b', 'c'].map((s) => `${this.name}${s}`);
  }
  slot<T>(key: string, init: () => T): T {
    let v = this.slots.get(key) as T | undefined;
    if (v === undefined) {
      v = init();
      this.slots.set(key, v);
    }
    return v;
  }
}

/** What every handler receives beside its input. */
export interface RequestContext {
  service: ServiceName;
  action: string;
  region: Region;
  requestId: string;
  clock: Clock;
  delays: Delays;
  /** The origin the client called (`http://127.0.0.1:4599`), for URLs the answer hands out (SQS QueueUrl). */
  endpoint?: string;
  /** Aborted when the client goes away before the answer (a long poll then stops waiting). */
  signal?: AbortSignal;
  /** Another region's state, for the few cross-region actions (CopySnapshot, CopyImage). */
  regionNamed(name: string): Region;
}

/**
 * A handler is typed with the SDK's own types, for example
 * `Handler<RunInstancesCommandInput, RunInstancesCommandOutput>`. It returns plain data (without
 * `$metadata`); the protocol layer serializes it with the operation's output schema.
 */
export type Handler<I = any, O = any> = (input: I, ctx: RequestContext) => O | Promise<O>;

/** Output types without the SDK's `$metadata`, which the protocol layer adds on the wire. */
export type Out<O> = Omit<O, '$metadata'>;

export type HandlerMap = Record<string, Handler>;

/**
 * What other services (Classic ELB) may read of an EC2 instance. EC2 implements `findInstanceView`
 * (and the subnet and security-group views) in services/ec2/view.ts; ELB never touches EC2's state
 * directly.
 */
export interface InstanceView {
  instanceId: string;
  /** The state name as of `now`, for example 'running'. */
  state: 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
  /**
   * When the instance entered its current state (ms since epoch), for health-check timing. A reboot
   * keeps the state 'running' but restarts the count: while rebooting this is the moment the
   * instance is back (in the future, so no check has passed yet), afterwards that same moment.
   */
  stateSince: number;
  availabilityZone: string;
  vpcId?: string;
  subnetId?: string;
}
