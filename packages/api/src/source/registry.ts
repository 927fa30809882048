import type { EC2Client } from '@aws-sdk/client-ec2';
import { realScheduler, type Scheduler } from '../time/scheduler';
import { type PollingOptions, PollingStateSource } from './polling-source';
import type { StateSource } from './state-source';

export interface StreamRegistryOptions extends Partial<PollingOptions> {
  /** Timers for polls, backoff, linger and waiter delays; a virtual one in tests. */
  scheduler?: Scheduler;
}

export interface StreamStats {
  sources: number;
  listeners: number;
  bufferedEntries: number;
  /** DescribeInstances calls (pages) made by all sources so far. */
  upstreamCalls: number;
}

/** The gateway's long-lived stream state: one StateSource per (region, credential identity). */
export interface StreamRegistry {
  readonly scheduler: Scheduler;
  /** The shared instance-state source for this region and this client's credentials. */
  instanceStates(region: string, client: EC2Client): Promise<StateSource>;
  stats(): StreamStats;
  /** Disposes every source (gateway shutdown). */
  close(): void;
}

export const defaultPollingOptions: PollingOptions = {
  fastIntervalMs: 2_000,
  slowIntervalMs: 30_000,
  bufferSize: 1_000,
  maxBackoffMs: 60_000,
  lingerMs: 60_000,
};

export function createStreamRegistry(options: StreamRegistryOptions = {}): StreamRegistry {
  const { scheduler = realScheduler(), ...polling } = options;
  const settings: PollingOptions = { ...defaultPollingOptions, ...definedOnly(polling) };
  const sources = new Map<string, PollingStateSource>();
  let totalUpstreamCalls = 0;
  return {
    scheduler,
    async instanceStates(region, client) {
      const key = `${region}\u0000${await credentialIdentity(client)}`;
      let source = sources.get(key);
      if (!source) {
        const created = new PollingStateSource(client, scheduler, settings, () => {
          totalUpstreamCalls += created.upstreamCalls;
          if (sources.get(key) === created) sources.delete(key);
        });
        source = created;
        sources.set(key, source);
      }
      return source;
    },
    stats() {
      let listeners = 0;
      let bufferedEntries = 0;
      let upstreamCalls = totalUpstreamCalls;
      for (const s of sources.values()) {
        listeners += s.listenerCount;
        bufferedEntries += s.bufferedEntries;
        upstreamCalls += s.upstreamCalls;
      }
      return { sources: sources.size, listeners, bufferedEntries, upstreamCalls };
    },
    close() {
      for (const s of [...sources.values()]) s.dispose();
    },
  };
}

const identities = new WeakMap<EC2Client, Promise<string>>();

/**
 * Who the client calls AWS as: its access key id, so two principals mapped to different credentials never
 * share a source (and never see each other's instances). 'default' when the provider cannot say.
 */
function credentialIdentity(client: EC2Client): Promise<string> {
  let identity = identities.get(client);
  if (!identity) {
    identity = (async () => {
      try {
        const creds = await client.config.credentials();
        return creds.accessKeyId || 'default';
      } catch {
        return 'default';
      }
    })();
    identities.set(client, identity);
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
