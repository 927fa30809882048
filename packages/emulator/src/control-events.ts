import type { EmulatorEnv } from './core/env';
import { type InstanceStateEntry, onInstanceStateEntered } from './core/instance-events';
import type { Region } from './core/types';
import { type DeliveryFault, deliveriesOf, type EventStats } from './services/events';
import { type QueueSnapshot, sqsSnapshot } from './services/sqs';

export type { DeliveryFault, EventStats, QueueSnapshot };

/**
 * EventBridge → SQS deliveries, for tests of a consumer: counters, and faults that make the
 * at-least-once, unordered delivery AWS promises visible on demand. A fault applies to the next
 * deliveries of any rule and target, in the order faults were added (the first active one wins).
 */
export interface EventsControl {
  stats(): EventStats;
  /** Each of the next `n` deliveries arrives twice: two messages, one event id. */
  duplicate(n: number): void;
  /** The next `n` deliveries are held, then sent in reverse order once the n-th arrives. */
  reorder(n: number): void;
  /**
   * Each of the next `n` deliveries is held for `ms` on the emulator's clock, so a later state can
   * arrive first and the held one arrives stale.
   */
  delay(n: number, ms: number): void;
  /** Sends whatever reorder and delay faults hold, now; answers how many. */
  release(): number;
  /** The faults still active. */
  faults(): DeliveryFault[];
  /** Removes every delivery fault and sends what they held. */
  clearFaults(): void;
  /**
   * Calls `listener` with every state an instance of this emulator enters, at the moment it does
   * (exact, where the event's `time` is whole seconds): what a consumer's latency is measured from.
   * Answers the function that stops it.
   */
  onStateEntered(listener: (entry: InstanceStateEntry & { region: string }) => void): () => void;
}

/** SQS as it stands. */
export interface SqsControl {
  queues(): QueueSnapshot[];
  /** ReceiveMessage calls waiting in a long poll now (a test can wait for its poll to be parked). */
  waiting(): number;
}

function positive(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} needs a positive integer, got ${n}`);
  return n;
}

export function createEventsControl(env: EmulatorEnv): EventsControl {
  // Looked up on each call: reset() replaces the emulator's slots.
  const deliveries = () => deliveriesOf(env);
  return {
    stats: () => deliveries().stats(),
    duplicate: (n) => deliveries().addFault({ kind: 'duplicate', remaining: positive(n, 'duplicate(n)') }),
    reorder: (n) => deliveries().addFault({ kind: 'reorder', count: positive(n, 'reorder(n)'), held: [] }),
    delay(n, ms) {
      if (!Number.isFinite(ms) || ms < 0 || ms > 3_600_000)
        throw new RangeError(`delay(n, ms) needs 0..3600000 ms, got ${ms}`);
      deliveries().addFault({ kind: 'delay', remaining: positive(n, 'delay(n)'), ms });
    },
    release: () => deliveries().release(),
    onStateEntered: (listener) =>
      onInstanceStateEntered((region, entry) => {
        if (region.env === env) listener({ ...entry, region: region.name });
      }),
    faults: () => deliveries().listFaults(),
    clearFaults: () => deliveries().clearFaults(),
  };
}

export function createSqsControl(env: EmulatorEnv, regions: () => Iterable<Region>): SqsControl {
  return {
    queues: () => sqsSnapshot(env, regions()).queues,
    waiting: () => sqsSnapshot(env, []).waiting,
  };
}

/** The HTTP face of the events and SQS controls, under /_emulator/events and /_emulator/sqs. */
export function eventsRoute(
  events: EventsControl,
  sqs: SqsControl,
  route: string,
  body: () => Record<string, unknown>,
): { status: number; body: unknown } | undefined {
  const state = () => ({ stats: events.stats(), faults: events.faults() });
  switch (route) {
    case 'GET /events':
      return { status: 200, body: state() };
    case 'POST /events/faults': {
      const { kind, count = 1, ms } = body();
      if (typeof count !== 'number') throw new RangeError('"count" must be a number');
      if (kind === 'duplicate') events.duplicate(count);
      else if (kind === 'reorder') events.reorder(count);
      else if (kind === 'delay') {
        if (typeof ms !== 'number') throw new RangeError('"delay" needs "ms"');
        events.delay(count, ms);
      } else throw new RangeError('"kind" must be one of duplicate, reorder, delay');
      return { status: 200, body: state() };
    }
    case 'DELETE /events/faults':
      events.clearFaults();
      return { status: 200, body: state() };
    case 'POST /events/release':
      return { status: 200, body: { released: events.release(), ...state() } };
    case 'GET /sqs':
      return { status: 200, body: { queues: sqs.queues(), waiting: sqs.waiting() } };
    default:
      return undefined;
  }
}
