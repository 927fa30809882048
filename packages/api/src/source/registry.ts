import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SharedStore } from '../core/redis';
import { realScheduler, type Scheduler } from '../time/scheduler';
import { type HubOptions, InstanceStateHub } from './instance-hub';
import { type PushCounters, SqsPushFeed } from './push-feed';
import { encodeCall, type InboxCall, type LogKeys, logKeys } from './redis-log';
import { ReplicatedSource } from './replicated-source';
import type { StateSource } from './state-source';
import { type WrittenCall, writesThrough, writtenThrough } from './write-through';

export type { WrittenCall };

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
  /** Replicas: the sources' logs, leases and inboxes live in this Redis (replicated-source.ts). */
  shared?: SharedStore;
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
  const { scheduler = realScheduler(), push, log, shared, ...hub } = options;
  const settings: HubOptions = { ...defaultHubOptions, ...definedOnly(hub) };
  type Entry =
    | { kind: 'local'; hub: InstanceStateHub; feed?: SqsPushFeed }
    | { kind: 'shared'; source: ReplicatedSource; feeds: SqsPushFeed[] };
  const sources = new Map<string, Entry>();
  let retired = { describes: 0, push: { receives: 0, events: 0, duplicates: 0, ignored: 0 } };
  const identityOf = (client: EC2Client) => credentialIdentity(client);
  const feedFor = (region: string, target: InstanceStateHub): SqsPushFeed | undefined => {
    const queueUrl = push?.queueUrl(region);
    if (!push || !queueUrl) return undefined;
    return new SqsPushFeed(target, {
      sqs: push.sqs(region),
      queueUrl,
      region,
      scheduler,
      maxBackoffMs: settings.maxBackoffMs,
      ...(log ? { log } : {}),
    });
  };
  const retire = (describes: number, feeds: (SqsPushFeed | undefined)[]) => {
    retired = {
      describes: retired.describes + describes,
      push: feeds.reduce((sum, f) => sumCounters(sum, f?.counters), retired.push),
    };
  };

  function localSource(key: string, region: string, client: EC2Client): Entry {
    const created: Entry & { kind: 'local' } = {
      kind: 'local',
      hub: new InstanceStateHub(client, scheduler, settings, () => {
        retire(created.hub.counters.describes, [created.feed]);
        if (sources.get(key) === created) sources.delete(key);
      }),
    };
    const feed = feedFor(region, created.hub);
    if (feed) {
      created.feed = feed;
      created.hub.attachPush(feed);
    }
    return created;
  }

  function sharedSource(
    store: SharedStore,
    key: string,
    region: string,
    identity: string,
    client: EC2Client,
  ): Entry {
    const feeds: SqsPushFeed[] = [];
    const created: Entry & { kind: 'shared' } = {
      kind: 'shared',
      feeds,
      source: new ReplicatedSource({
        store,
        keys: logKeys(region, identity),
        client,
        scheduler,
        hub: settings,
        ...(log ? { log } : {}),
        pushFor: (reader) => {
          const feed = feedFor(region, reader);
          if (feed) feeds.push(feed);
          return feed;
        },
        onDispose: () => {
          retire(created.source.describes, feeds);
          if (sources.get(key) === created) sources.delete(key);
        },
      }),
    };
    return created;
  }

  return {
    scheduler,
    async instanceStates(region, client) {
      const identity = await identityOf(client);
      const key = `${region}\u0000${identity}`;
      let entry = sources.get(key);
      if (!entry) {
        entry = shared
          ? sharedSource(shared, key, region, identity, client)
          : localSource(key, region, client);
        sources.set(key, entry);
      }
      return entry.kind === 'local' ? entry.hub : entry.source;
    },
    async writeThrough(region, client, call) {
      if (!writesThrough(call.operation)) return;
      const identity = await identityOf(client);
      const entry = sources.get(`${region}\u0000${identity}`);
      if (shared) {
        // Whether or not this replica follows the log, the reader (wherever it runs) hears the call.
        if (entry?.kind === 'shared' && !entry.source.isDisposed) await entry.source.writeThrough(call);
        else await toInbox(shared, logKeys(region, identity), { ...call, at: scheduler.now() });
        return;
      }
      if (entry?.kind !== 'local' || entry.hub.isDisposed) return;
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
      for (const entry of sources.values()) {
        if (entry.kind === 'local') {
          listeners += entry.hub.listenerCount;
          bufferedEntries += entry.hub.bufferedEntries;
          upstreamCalls += entry.hub.counters.describes;
          pushed = sumCounters(pushed, entry.feed?.counters);
        } else {
          listeners += entry.source.listenerCount;
          bufferedEntries += entry.source.bufferedEntries;
          upstreamCalls += entry.source.describes;
          for (const f of entry.feeds) pushed = sumCounters(pushed, f.counters);
        }
      }
      return { sources: sources.size, listeners, bufferedEntries, upstreamCalls, push: pushed };
    },
    close() {
      for (const entry of [...sources.values()]) {
        if (entry.kind === 'local') entry.hub.dispose();
        else entry.source.dispose();
      }
    },
  };
}

/** A call for the reader, from a replica that does not follow that log (nobody here subscribes). */
async function toInbox(store: SharedStore, keys: LogKeys, call: InboxCall): Promise<void> {
  try {
    await store.redis.xadd(keys.inbox, 'MAXLEN', '~', 1_000, '*', ...encodeCall(call));
  } catch {
    // The reader's next read sees the change anyway.
  }
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
