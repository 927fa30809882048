import type { EventsControl, SqsControl } from './control-events';
import type { Clock } from './core/clock';
import { AwsError } from './core/errors';
import type { Delays, HandlerMap, ServiceName } from './core/types';
import { protocols } from './protocol/service-protocol';

/** Which requests a fault applies to; absent fields match everything. */
export interface FaultTarget {
  service?: ServiceName;
  /** One action or several, by AWS action name. */
  action?: string | string[];
}

export interface FailOptions extends FaultTarget {
  code: string;
  status: number;
  message?: string;
}

export type RequestCounts = { total: number } & Record<ServiceName, Record<string, number>>;

const serviceNames = Object.keys(protocols) as ServiceName[];
const noCounts = (): RequestCounts => ({ total: 0, ec2: {}, elb: {}, sqs: {}, events: {} });

export interface ServiceCoverage {
  /** Implemented actions, sorted. */
  implemented: string[];
  implementedCount: number;
  /** How many operations the installed SDK has for this service. */
  sdkOperationCount: number;
  /** Handler keys that are not operations of the SDK (typos); always empty when all is well. */
  unknownHandlers: string[];
}

export type Coverage = Record<ServiceName, ServiceCoverage>;

/** Everything a test (or the HTTP control API) can do to a running emulator. */
export interface Control {
  readonly clock: Clock;
  readonly delays: { get(): Delays; set(patch: Partial<Delays>): Delays };
  /**
   * Forgets all regions' state (queues and rules too), faults, request counts, scheduled transitions
   * and held deliveries, answers pending long polls empty, and restores the start-up delays.
   */
  reset(): void;
  coverage(): Coverage;
  readonly faults: {
    /**
     * The next `n` matching calls answer RequestLimitExceeded (EC2, 503), Throttling (ELB, 400),
     * RequestThrottled (SQS, 403) or ThrottlingException (EventBridge, 400).
     */
    throttle(n: number, target?: FaultTarget): void;
    /** The next `n` matching calls answer this error. */
    fail(n: number, options: FailOptions): void;
    /** The next `n` RunInstances/StartInstances calls answer InsufficientInstanceCapacity (500). */
    insufficientCapacity(n: number, target?: FaultTarget): void;
    /** Every matching call waits this long (real time) before it is answered, until clear(). */
    latency(ms: number, target?: FaultTarget): void;
    clear(): void;
    list(): FaultRule[];
  };
  readonly requests: {
    /** AWS requests received (control requests excluded), optionally for one service or action. */
    count(target?: FaultTarget): number;
    snapshot(): RequestCounts;
    clear(): void;
  };
  /** EventBridge → SQS deliveries: counters and delivery faults (duplicate, reorder, delay). */
  readonly events: EventsControl;
  /** SQS queues as they stand, and pending long polls. */
  readonly sqs: SqsControl;
}

export type FaultRule =
  | {
      kind: 'error';
      name: 'throttle' | 'fail' | 'insufficientCapacity';
      remaining: number;
      target: FaultTarget;
      error: (service: ServiceName) => AwsError;
    }
  | { kind: 'latency'; name: 'latency'; ms: number; target: FaultTarget };

function matches(target: FaultTarget, service: ServiceName, action: string): boolean {
  if (target.service && target.service !== service) return false;
  if (target.action === undefined) return true;
  return typeof target.action === 'string' ? target.action === action : target.action.includes(action);
}

function count(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} needs a non-negative integer, got ${n}`);
  return n;
}

/** The fault rules of one emulator, consulted once per AWS request. */
export class Faults {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push(rule);
  }

  /** Consumes the first error rule that matches, if any. */
  take(service: ServiceName, action: string): AwsError | undefined {
    const rule = this.rules.find(
      (r) => r.kind === 'error' && r.remaining > 0 && matches(r.target, service, action),
    );
    if (rule?.kind !== 'error') return undefined;
    rule.remaining--;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.error(service);
  }

  latency(service: ServiceName, action: string): number {
    let ms = 0;
    for (const r of this.rules) if (r.kind === 'latency' && matches(r.target, service, action)) ms += r.ms;
    return ms;
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  clear(): void {
    this.rules = [];
  }
}

/** Request counts per service and action. */
export class RequestLog {
  private counts: RequestCounts = noCounts();

  record(service: ServiceName, action: string): void {
    this.counts.total++;
    const perService = this.counts[service];
    perService[action] = (perService[action] ?? 0) + 1;
  }

  count(target: FaultTarget = {}): number {
    let n = 0;
    for (const service of serviceNames) {
      for (const [action, c] of Object.entries(this.counts[service]))
        if (matches(target, service, action)) n += c;
    }
    return n;
  }

  snapshot(): RequestCounts {
    const out = noCounts();
    out.total = this.counts.total;
    for (const service of serviceNames) out[service] = { ...this.counts[service] };
    return out;
  }

  clear(): void {
    this.counts = noCounts();
  }
}

/** What the control needs from the emulator it drives. */
export interface ControlledState {
  clock: Clock;
  delays: Delays;
  initialDelays: Delays;
  handlers: Record<ServiceName, HandlerMap>;
  faults: Faults;
  requests: RequestLog;
  resetRegions(): void;
  events: EventsControl;
  sqs: SqsControl;
}

export function coverageOf(handlers: Record<ServiceName, HandlerMap>): Coverage {
  const one = (service: ServiceName): ServiceCoverage => {
    const protocol = protocols[service];
    const keys = Object.keys(handlers[service]).sort();
    const implemented = keys.filter((k) => protocol.operation(k));
    return {
      implemented,
      implementedCount: implemented.length,
      sdkOperationCount: protocol.operationNames().length,
      unknownHandlers: keys.filter((k) => !protocol.operation(k)),
    };
  };
  return { ec2: one('ec2'), elb: one('elb'), sqs: one('sqs'), events: one('events') };
}

const delayNames: (keyof Delays)[] = [
  'pending',
  'stopping',
  'shuttingDown',
  'rebooting',
  'terminatedVisible',
];

/** Checks a delays patch; throws a RangeError naming the bad field. */
export function checkDelays(patch: unknown): Partial<Delays> {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch))
    throw new RangeError('delays must be an object');
  const out: Partial<Delays> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (!delayNames.includes(k as keyof Delays)) {
      throw new RangeError(`unknown delay "${k}"; known delays: ${delayNames.join(', ')}`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`delay "${k}" must be a non-negative number of milliseconds`);
    }
    out[k as keyof Delays] = v;
  }
  return out;
}

export function createControl(state: ControlledState): Control {
  const { faults, requests } = state;
  return {
    clock: state.clock,
    delays: {
      get: () => ({ ...state.delays }),
      set: (patch) => {
        // Mutated in place: handlers hold this object through their RequestContext.
        Object.assign(state.delays, checkDelays(patch));
        return { ...state.delays };
      },
    },
    reset() {
      state.resetRegions();
      faults.clear();
      requests.clear();
      Object.assign(state.delays, state.initialDelays);
    },
    coverage: () => coverageOf(state.handlers),
    faults: {
      throttle(n, target = {}) {
        faults.add({
          kind: 'error',
          name: 'throttle',
          remaining: count(n, 'throttle(n)'),
          target,
          error: throttlingError,
        });
      },
      fail(n, options) {
        if (!options || typeof options.code !== 'string' || !options.code)
          throw new RangeError('fail() needs a code');
        const status = options.status;
        if (!Number.isInteger(status) || status < 400 || status > 599) {
          throw new RangeError(`fail() needs an HTTP error status (400-599), got ${status}`);
        }
        const { code, message = `Injected fault: ${options.code}` } = options;
        faults.add({
          kind: 'error',
          name: 'fail',
          remaining: count(n, 'fail(n)'),
          target: { service: options.service, action: options.action },
          error: () => new AwsError(code, message, status),
        });
      },
      insufficientCapacity(n, target = {}) {
        faults.add({
          kind: 'error',
          name: 'insufficientCapacity',
          remaining: count(n, 'insufficientCapacity(n)'),
          target: { service: 'ec2', action: target.action ?? ['RunInstances', 'StartInstances'] },
          // A server error on EC2, so SDKs retry it.
          error: () =>
            new AwsError(
              'InsufficientInstanceCapacity',
              'We currently do not have sufficient capacity in the Availability Zone you requested.',
              500,
            ),
        });
      },
      latency(ms, target = {}) {
        if (!Number.isFinite(ms) || ms < 0 || ms > 600_000)
          throw new RangeError(`latency(ms) needs 0..600000, got ${ms}`);
        faults.add({ kind: 'latency', name: 'latency', ms, target });
      },
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    requests: {
      count: (target) => requests.count(target),
      snapshot: () => requests.snapshot(),
      clear: () => requests.clear(),
    },
    events: state.events,
    sqs: state.sqs,
  };
}

/** Each service's throttling error, which SDKs retry with backoff. */
function throttlingError(service: ServiceName): AwsError {
  switch (service) {
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html
    case 'ec2':
      return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case 'elb':
      return new AwsError('Throttling', 'Rate exceeded', 400);
    // The SDK's model: RequestThrottled, 403 (AWS.SimpleQueueService has no other throttling code).
    case 'sqs':
      return new AwsError('RequestThrottled', 'Request is throttled.', 403);
    case 'events':
      return new AwsError('ThrottlingException', 'Rate exceeded', 400);
  }
}
