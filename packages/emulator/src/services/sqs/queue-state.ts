import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { Disposable, EmulatorEnv } from '../../core/env';
import type { Region, RequestContext } from '../../core/types';
import { invalidAddress, queueDoesNotExist } from './errors';

/**
 * The queues of a region and their messages. Visibility, delays and retention are derived from the
 * clock on read; only a waiting long poll needs a timer (for the moment a message turns visible).
 */
export interface SqsMessage {
  seq: number;
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  senderId: string;
  sentAt: number;
  /** Hidden until then: DelaySeconds after sending, VisibilityTimeout after a receive. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The receipt handle of the latest receive; only it deletes the message. */
  receiptHandle?: string;
}

export interface Queue {
  name: string;
  arn: string;
  createdAt: number;
  modifiedAt: number;
  /** The settable attributes as AWS reports them (defaults filled in), by name. */
  attributes: Map<string, string>;
  tags: Map<string, string>;
  messages: Map<string, SqsMessage>;
  nextSeq: number;
  /** Every handle ever issued for this queue is `<arn> <message id> <n>`, so n keeps them unique. */
  nextHandle: number;
  lastPurgeAt?: number;
  deleted: boolean;
  /** Long polls waiting on this queue, in arrival order. */
  waiters: Set<Waiter>;
  wake?: { at: number; cancel(): void };
}

/** A pending long poll: `poll()` answers whether it took messages (and so is done). */
export interface Waiter {
  poll(): boolean;
  /** Ends the wait with no messages (deadline, queue deleted, reset, close). */
  end(): void;
}

interface SqsState {
  queues: Map<string, Queue>;
  /** When each name was last deleted: the name is blocked for 60 s (QueueDeletedRecently). */
  deletedAt: Map<string, number>;
}

export const sqsState = (region: Region) =>
  region.slot<SqsState>('sqs.queues', () => ({ queues: new Map(), deletedAt: new Map() }));

/** Every long poll of the emulator, so reset and close end them all. */
class LongPolls implements Disposable {
  readonly waiters = new Set<Waiter>();
  dispose(): void {
    for (const w of [...this.waiters]) w.end();
  }
}

export const longPolls = (env: EmulatorEnv) => env.slot('sqs.long-polls', () => new LongPolls());

export const queueArn = (region: Region, name: string) =>
  `arn:aws:sqs:${region.name}:${region.accountId}:${name}`;

/**
 * The URL a queue answers with: on the endpoint the client called, so the SDK (which sends each request
 * to its QueueUrl's host unless given an endpoint) and the CLI come back here.
 */
export function queueUrl(ctx: Pick<RequestContext, 'endpoint' | 'region'>, name: string): string {
  const origin = ctx.endpoint ?? `https://sqs.${ctx.region.name}.amazonaws.com`;
  return `${origin}/${ctx.region.accountId}/${name}`;
}

/** The queue a QueueUrl names: `…/<account>/<name>`, whatever the host (AWS accepts either endpoint form). */
export function findQueue(region: Region, url: string | undefined): Queue {
  const m = /^(?:[a-z]+:\/\/[^/]+)?\/?([0-9]{12})\/([^/?#]+)\/?$/.exec(url ?? '');
  if (!m) throw invalidAddress(url ?? '');
  const queue = sqsState(region).queues.get(decodeURIComponent(m[2]!));
  if (!queue || m[1] !== region.accountId) throw queueDoesNotExist();
  return queue;
}

export function queueByName(region: Region, name: string): Queue | undefined {
  return sqsState(region).queues.get(name);
}

export const numberAttribute = (queue: Queue, name: string) => Number(queue.attributes.get(name));

/** Drops messages past the retention period, as of `now`. */
export function expire(queue: Queue, now: number): void {
  const retentionMs = numberAttribute(queue, 'MessageRetentionPeriod') * 1000;
  for (const m of queue.messages.values()) if (now >= m.sentAt + retentionMs) queue.messages.delete(m.id);
}

/** Visible, in flight (received and hidden) and delayed (never received and hidden) counts. */
export function counts(queue: Queue, now: number) {
  expire(queue, now);
  let visible = 0;
  let inFlight = 0;
  let delayed = 0;
  for (const m of queue.messages.values()) {
    if (m.visibleAt <= now) visible++;
    else if (m.receiveCount > 0) inFlight++;
    else delayed++;
  }
  return { visible, inFlight, delayed };
}

/** Lets waiting long polls take what is visible now, then sets a timer for the next message to turn visible. */
export function wake(region: Region, queue: Queue): void {
  for (const w of [...queue.waiters]) if (!w.poll()) break;
  armWake(region, queue);
}

function armWake(region: Region, queue: Queue): void {
  if (queue.waiters.size === 0 || queue.deleted) {
    queue.wake?.cancel();
    queue.wake = undefined;
    return;
  }
  const now = region.env.clock.now();
  let next = Number.POSITIVE_INFINITY;
  for (const m of queue.messages.values()) if (m.visibleAt > now && m.visibleAt < next) next = m.visibleAt;
  if (next === Number.POSITIVE_INFINITY || (queue.wake && queue.wake.at <= next)) return;
  queue.wake?.cancel();
  const cancel = region.env.at(next, () => {
    queue.wake = undefined;
    wake(region, queue);
  });
  queue.wake = { at: next, cancel };
}

/** Ends every long poll on a queue that is going away. */
export function endWaiters(queue: Queue): void {
  for (const w of [...queue.waiters]) w.end();
  queue.wake?.cancel();
  queue.wake = undefined;
}
