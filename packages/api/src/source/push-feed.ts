import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type Scheduler, sleep } from '../time/scheduler';
import type { InstanceStateHub, Observation, PushFeed } from './instance-hub';
import { parseStateChange } from './state-change-event';

export interface SqsFeedOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** The hub's region: events of another region are not this hub's. */
  region: string;
  scheduler: Scheduler;
  /** The longest wait between retries after SQS fails. */
  maxBackoffMs: number;
  /** Told what the feed does, for the gateway's log. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** SQS's long poll: up to 20 s, up to 10 messages a call. */
const waitTimeSeconds = 20;
const maxMessages = 10;
/** Event ids remembered to drop redeliveries (SQS is at-least-once). */
const rememberedIds = 10_000;

/** What the feed has done, for the stats and the tests. */
export interface PushCounters {
  receives: number;
  events: number;
  duplicates: number;
  /** Messages that were no state-change event of this region (deleted, so they do not come back). */
  ignored: number;
}

/**
 * The push source: EC2 state-change events that an EventBridge rule sends to an SQS queue, consumed
 * with long polls while someone listens. SQS delivers at least once and in no particular order: events
 * are deduplicated by id, and the hub orders each instance's states by time and lifecycle and drops a
 * stale one. Messages are deleted only once their events are in the log. When SQS fails, the hub is
 * told (`degraded`; it polls at its usual intervals meanwhile) and the feed retries with backoff.
 */
export class SqsPushFeed implements PushFeed {
  readonly counters: PushCounters = { receives: 0, events: 0, duplicates: 0, ignored: 0 };
  private ok = false;
  private running: AbortController | undefined;
  private readonly seen = new Set<string>();

  constructor(
    private readonly hub: InstanceStateHub,
    private readonly options: SqsFeedOptions,
  ) {}

  get healthy(): boolean {
    return this.ok;
  }

  start(): void {
    if (this.running) return;
    const running = new AbortController();
    this.running = running;
    void this.run(running.signal);
  }

  stop(): void {
    this.running?.abort();
    this.running = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { sqs, queueUrl } = this.options;
    let failures = 0;
    let checked = false;
    while (!signal.aborted) {
      try {
        // A cheap call first, so a wrong URL or a missing permission shows at once, not after a long poll.
        if (!checked) {
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
            {
              abortSignal: signal,
            },
          );
          checked = true;
          this.recovered(failures);
          failures = 0;
        }
        this.counters.receives++;
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            WaitTimeSeconds: waitTimeSeconds,
            MaxNumberOfMessages: maxMessages,
          }),
          { abortSignal: signal },
        );
        this.recovered(failures);
        failures = 0;
        if (Messages.length > 0) await this.handle(Messages, signal);
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        this.ok = false;
        const backoff = Math.min(this.options.maxBackoffMs, 1_000 * 2 ** (failures - 1));
        this.hub.feedFailed('push', error, backoff);
        this.options.log?.('events queue failed; polling meanwhile', { queueUrl, failures });
        if (!(await sleep(this.options.scheduler, backoff, signal))) return;
      }
    }
  }

  private recovered(failures: number): void {
    if (this.ok && failures === 0) return;
    this.ok = true;
    this.hub.feedRecovered('push');
  }

  /** Applies the messages' events, then deletes the messages (all of them: handled, duplicate or foreign). */
  private async handle(messages: Message[], signal: AbortSignal): Promise<void> {
    const observations: Observation[] = [];
    const ids = new Set<string>();
    for (const m of messages) {
      const event = parseStateChange(m.Body);
      if (!event || event.region !== this.options.region) {
        this.counters.ignored++;
        continue;
      }
      if (this.seen.has(event.id) || ids.has(event.id)) {
        this.counters.duplicates++;
        continue;
      }
      ids.add(event.id);
      observations.push(event.observation);
    }
    // Throws when the details of a new instance cannot be read: then nothing is deleted or remembered,
    // and SQS delivers the messages again.
    await this.hub.observe(observations, 'push');
    for (const id of ids) this.remember(id);
    this.counters.events += ids.size;
    const entries = messages.flatMap((m, i) =>
      m.ReceiptHandle ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle }] : [],
    );
    // A message whose delete fails comes back after its visibility timeout; its id is remembered.
    await this.options.sqs
      .send(new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }), {
        abortSignal: signal,
      })
      .catch(() => undefined);
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > rememberedIds) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
