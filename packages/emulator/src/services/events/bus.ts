import type { Target } from '@aws-sdk/client-eventbridge';
import type { Disposable, EmulatorEnv } from '../../core/env';
import type { Region } from '../../core/types';
import { deliverAsService } from '../sqs';
import { isEnabled, rulesOf } from './rule-state';

/**
 * The default event bus of each region: an event (an EC2 transition, a PutEvents entry) goes to every
 * enabled rule of its region whose pattern matches, and each such rule invokes its targets. A target
 * is an SQS queue; the message body is the event's JSON, as EventBridge sends it without an input
 * transformer. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html
 */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 to the second, as EventBridge writes it: 2026-01-01T00:00:05Z */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export const eventTime = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** One invocation of one target of one rule for one event. */
export interface Delivery {
  region: Region;
  ruleArn: string;
  targetArn: string;
  eventId: string;
  body: string;
}

export interface EventStats {
  /** Events put on a bus: EC2 transitions and accepted PutEvents entries. */
  events: number;
  /** Rules an event matched. */
  matchedRules: number;
  /** Target invocations (one per matching rule and target). */
  invocations: number;
  /** SQS messages sent (a duplicated delivery counts twice). */
  messages: number;
  /** Deliveries dropped because the queue is gone or its policy does not allow EventBridge, as AWS does silently. */
  failedInvocations: number;
  failedInvocationsByRule: Record<string, number>;
  /** Deliveries held by a reorder or delay fault right now. */
  held: number;
}

/**
 * A delivery fault: `duplicate` sends each of the next `count` deliveries twice (one event id, two
 * messages); `reorder` holds the next `count` and sends them in reverse once all have arrived;
 * `delay` holds each of the next `count` for `ms` on the emulator's clock.
 */
export type DeliveryFault =
  | { kind: 'duplicate'; remaining: number }
  | { kind: 'reorder'; count: number; held: number }
  | { kind: 'delay'; remaining: number; ms: number };

type ActiveFault =
  | { kind: 'duplicate'; remaining: number }
  | { kind: 'reorder'; count: number; held: Delivery[] }
  | { kind: 'delay'; remaining: number; ms: number };

/** Deliveries of one emulator: counters, faults and what the faults hold. */
export class Deliveries implements Disposable {
  private counters = emptyStats();
  private faults: ActiveFault[] = [];
  /** Delayed deliveries by due time, with their timers. */
  private delayed: { at: number; delivery: Delivery; cancel(): void }[] = [];

  constructor(private readonly env: EmulatorEnv) {}

  stats(): EventStats {
    const held =
      this.delayed.length + this.faults.reduce((n, f) => n + (f.kind === 'reorder' ? f.held.length : 0), 0);
    return { ...this.counters, failedInvocationsByRule: { ...this.counters.failedInvocationsByRule }, held };
  }

  count(what: 'events' | 'matchedRules'): void {
    this.counters[what]++;
  }

  addFault(fault: ActiveFault): void {
    this.faults.push(fault);
  }

  listFaults(): DeliveryFault[] {
    return this.faults.map((f) => (f.kind === 'reorder' ? { ...f, held: f.held.length } : { ...f }));
  }

  /** A target invocation: through the first active fault, if any, else straight to the queue. */
  send(d: Delivery): void {
    this.counters.invocations++;
    const fault = this.faults[0];
    if (!fault) {
      this.deliver(d);
      return;
    }
    switch (fault.kind) {
      case 'duplicate':
        if (--fault.remaining === 0) this.faults.shift();
        this.deliver(d);
        this.deliver(d);
        return;
      case 'reorder':
        fault.held.push(d);
        if (fault.held.length < fault.count) return;
        this.faults.shift();
        for (const held of fault.held.reverse()) this.deliver(held);
        return;
      case 'delay': {
        if (--fault.remaining === 0) this.faults.shift();
        const at = this.env.clock.now() + fault.ms;
        const entry = {
          at,
          delivery: d,
          cancel: this.env.at(at, () => {
            this.delayed = this.delayed.filter((e) => e !== entry);
            this.deliver(d);
          }),
        };
        this.delayed.push(entry);
        return;
      }
    }
  }

  /** Sends everything held now: each reorder group reversed, then delayed ones by due time. Answers how many. */
  release(): number {
    let n = 0;
    for (const f of this.faults) {
      if (f.kind !== 'reorder') continue;
      for (const d of f.held.reverse()) this.deliver(d);
      n += f.held.length;
    }
    this.faults = this.faults.filter((f) => f.kind !== 'reorder');
    const due = this.delayed.sort((a, b) => a.at - b.at);
    this.delayed = [];
    for (const e of due) {
      e.cancel();
      this.deliver(e.delivery);
    }
    return n + due.length;
  }

  /** Removes every fault; what they hold is sent at once, so nothing is lost. */
  clearFaults(): void {
    this.release();
    this.faults = [];
  }

  dispose(): void {
    for (const e of this.delayed) e.cancel();
    this.delayed = [];
    this.faults = [];
  }

  private deliver(d: Delivery): void {
    const result = deliverAsService(d.region, d.targetArn, d.body, {
      service: 'events.amazonaws.com',
      sourceArn: d.ruleArn,
      senderId: 'events.amazonaws.com',
    });
    if (result === 'delivered') {
      this.counters.messages++;
      return;
    }
    this.counters.failedInvocations++;
    const byRule = this.counters.failedInvocationsByRule;
    byRule[d.ruleArn] = (byRule[d.ruleArn] ?? 0) + 1;
  }
}

function emptyStats(): Omit<EventStats, 'held'> {
  return {
    events: 0,
    matchedRules: 0,
    invocations: 0,
    messages: 0,
    failedInvocations: 0,
    failedInvocationsByRule: {},
  };
}

export const deliveriesOf = (env: EmulatorEnv) => env.slot('events.deliveries', () => new Deliveries(env));

/** The message body for a target: Input as given, InputPath's value, else the whole event. */
function bodyFor(target: Target, event: BusEvent): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    let value: unknown = event;
    for (const key of target.InputPath.split('.').slice(1))
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return JSON.stringify(value ?? null);
  }
  return JSON.stringify(event);
}

/** Puts an event on the region's default bus. */
export function publish(region: Region, event: BusEvent): void {
  const deliveries = deliveriesOf(region.env);
  deliveries.count('events');
  for (const rule of rulesOf(region).values()) {
    if (!isEnabled(rule) || !rule.matcher?.(event)) continue;
    deliveries.count('matchedRules');
    for (const target of rule.targets.values())
      deliveries.send({
        region,
        ruleArn: rule.arn,
        targetArn: target.Arn!,
        eventId: event.id,
        body: bodyFor(target, event),
      });
  }
}
