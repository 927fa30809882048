import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { realScheduler, type Scheduler } from '../time/scheduler';
import { type HubOptions, InstanceStateHub } from './instance-hub';
import { type PushCounters, SqsPushFeed } from './push-feed';
import type { StateSource } from './state-source';
import { writesThrough, writtenThrough } from './write-through';

/** The push source of each region: the SQS queue an EventBridge rule fills with state-change events. */
export interface PushConfig {
  queueUrl(region: string): string | undefined;
  sqs(region: string): SQSClient;
}

export interface StreamRegistryOptions extends Partial<HubOptions> {
  /** Timers for reads, backoff, linger and waiter delays; a virtual one in tests. */
  scheduler?: Scheduler;
  /** Without it, the sources poll and take the gateway's own calls (write-through) only. */
  push?: PushConfig;
  /** Where the sources report what the log should say (the events queue failing). */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface StreamStats {
  sources: number;
  listeners: number;
  bufferedEntries: number;
  /** DescribeInstances calls (pages) made by all sources so far. */
  upstreamCalls: number;
  /** What the push sources received, so far. */
  push: PushCounters;
}

/** A call the gateway made that may tell the sources something (see write-through.ts). */
export interface WrittenCall {
  operation: string;
  input: unknown;
  output: unknown;
}

/** The gateway's long-lived stream state: one StateSource per (region, credential identity). */
export interface StreamRegistry {
  readonly scheduler: Scheduler;
  /**
   * The shared instance-state source for this region and this client's credentials. Rejects when the
   * gateway has no usable credentials, so a subscription or waiter fails at once, as a call does.
   */
  instanceStates(region: string, client: EC2Client): Promise<StateSource>;
  /** Feeds a successful call's answer to the source of its region and credentials, if one is alive. */
  writeThrough(region: string, client: EC2Client, call: WrittenCall): Promise<void>;
  stats(): StreamStats;
  /** Disposes every source (gateway shutdown). */
  close(): void;
}

export const defaultHubOptions: HubOptions = {
  fastIntervalMs: 1_000,
  slowIntervalMs: 30_000,
  reconcileIntervalMs: 5 * 60_000,
  bufferSize: 1_000,
  maxBackoffMs: 60_000,
  lingerMs: 60_000,
};

export function createStreamRegistry(options: StreamRegistryOptions = {}): StreamRegistry {
  const { scheduler = realScheduler(), push, log, ...hub } = options;
  const settings: HubOptions = { ...defaultHubOptions, ...definedOnly(hub) };
  const hubs = new Map<string, { hub: InstanceStateHub; feed?: SqsPushFeed }>();
  let retired = { describes: 0, push: { receives: 0, events: 0, duplicates: 0, ignored: 0 } };
  const keyOf = async (region: string, client: EC2Client) =>
    `${region}\u0000${await credentialIdentity(client)}`;
  return {
    scheduler,
    async instanceStates(region, client) {
      const key = await keyOf(region, client);
      let entry = hubs.get(key);
      if (!entry) {
        const created: { hub: InstanceStateHub; feed?: SqsPushFeed } = {
          hub: new InstanceStateHub(client, scheduler, settings, () => {
            retired = {
              describes: retired.describes + created.hub.counters.describes,
              push: sumCounters(retired.push, created.feed?.counters),
            };
            if (hubs.get(key) === created) hubs.delete(key);
          }),
        };
        const queueUrl = push?.queueUrl(region);
        if (push && queueUrl) {
          created.feed = new SqsPushFeed(created.hub, {
            sqs: push.sqs(region),
            queueUrl,
            region,
            scheduler,
            maxBackoffMs: settings.maxBackoffMs,
            ...(log ? { log } : {}),
          });
          created.hub.attachPush(created.feed);
        }
        entry = created;
        hubs.set(key, entry);
      }
      return entry.hub;
    },
    async writeThrough(region, client, call) {
      if (!writesThrough(call.operation) || hubs.size === 0) return;
      const entry = hubs.get(await keyOf(region, client));
      if (!entry || entry.hub.isDisposed) return;
      const { observations, retags } = writtenThrough(
        call.operation,
        call.input,
        call.output,
        scheduler.now(),
      );
      for (const r of retags) entry.hub.retag(r.instanceId, r.change);
      await entry.hub.observe(observations, 'write-through');
    },
    stats() {
      let listeners = 0;
      let bufferedEntries = 0;
      let upstreamCalls = retired.describes;
      let pushed = retired.push;
      for (const { hub: h, feed } of hubs.values()) {
        listeners += h.listenerCount;
        bufferedEntries += h.bufferedEntries;
        upstreamCalls += h.counters.describes;
        pushed = sumCounters(pushed, feed?.counters);
      }
      return { sources: hubs.size, listeners, bufferedEntries, upstreamCalls, push: pushed };
    },
    close() {
      for (const { hub: h } of [...hubs.values()]) h.dispose();
    },
  };
}

function sumCounters(a: PushCounters, b: PushCounters | undefined): PushCounters {
  if (!b) return a;
  return {
    receives: a.receives + b.receives,
    events: a.events + b.events,
    duplicates: a.duplicates + b.duplicates,
    ignored: a.ignored + b.ignored,
  };
}

const identities = new WeakMap<EC2Client, Promise<string>>();

/**
 * Who the client calls AWS as: its access key id, so two principals mapped to different credentials
 * never share a source (and never see each other's instances). A failure is not remembered: the
 * credentials may appear later (a profile written, a role attached).
 */
function credentialIdentity(client: EC2Client): Promise<string> {
  let identity = identities.get(client);
  if (!identity) {
    identity = client.config.credentials().then((creds) => creds.accessKeyId || 'default');
    identities.set(client, identity);
    identity.catch(() => identities.delete(client));
  }
  return identity;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const fallbackRegistries = new WeakMap<object, StreamRegistry>();

/** The gateway's registry; one on real timers is created on first use when the gateway did not set one. */
export function streamsOf(deps: { streams?: StreamRegistry | undefined }): StreamRegistry {
  if (deps.streams) return deps.streams;
  let registry = fallbackRegistries.get(deps);
  if (!registry) {
    registry = createStreamRegistry();
    fallbackRegistries.set(deps, registry);
  }
  return registry;
}
