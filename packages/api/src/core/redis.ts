import { Redis } from 'ioredis';
import { defaultReplicaId } from '../observability/replica-id';

/**
 * What several gateway replicas share, when given `--redis-url`: Redis holds the event logs (streams),
 * the lease on each upstream reader, and the limits. Without it a gateway is complete on its own.
 */
export interface SharedStoreOptions {
  /** `redis://` or `rediss://`, with auth in the URL (`redis://:password@host:6379/0`). */
  url: string;
  /** This replica's name in leases and audit records. Default `<hostname>:<pid>`. */
  replicaId?: string;
  /** Events kept per log (XADD MAXLEN ~). Default 10,000; an older cursor gets a resync. */
  retention?: number;
  /** How long a reader's lease lasts without renewal; another replica takes over after it. */
  leaseTtlMs?: number;
}

export interface SharedStore {
  readonly replicaId: string;
  readonly retention: number;
  readonly leaseTtlMs: number;
  /** For commands; fails at once while Redis is unreachable (no offline queue), so callers fall back. */
  readonly redis: Redis;
  /** A connection of its own, for blocking reads (XREAD BLOCK would hold the shared one). */
  blocking(): Redis;
  /** Whether the command connection is up now. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Connects (lazily, reconnecting with backoff) and answers at once; commands wait for nothing. */
export function connectSharedStore(
  options: SharedStoreOptions,
  log: (message: string, fields?: Record<string, unknown>) => void = () => {},
): SharedStore {
  const connectionOptions = {
    // Reconnect forever, at most every 2 s: Redis coming back must be noticed quickly.
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    // A command while Redis is away fails at once: calls use local limits meanwhile, streams degrade.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    lazyConnect: false,
  };
  // A Redis cut off without a reset (a partition) would leave a command unanswered for ever: fail it
  // instead, so the lease, the log and the limits take their fallbacks. Every command here is short.
  const redis = new Redis(options.url, { ...connectionOptions, commandTimeout: 3_000 });
  const extra: Redis[] = [];
  let wasUp = false;
  redis.on('ready', () => {
    if (wasUp) log('redis reconnected');
    wasUp = true;
  });
  redis.on('error', () => {
    // Reported through `connected` and the callers' fallbacks; ioredis keeps reconnecting.
  });
  redis.on('end', () => {});
  return {
    replicaId: options.replicaId ?? defaultReplicaId(),
    retention: options.retention ?? 10_000,
    leaseTtlMs: options.leaseTtlMs ?? 10_000,
    redis,
    blocking() {
      // Offline queue on: a blocking reader waits for the reconnection instead of failing in a loop.
      const connection = new Redis(options.url, {
        ...connectionOptions,
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
        // Longer than any BLOCK the readers ask for (2 s at most).
        commandTimeout: 10_000,
      });
      connection.on('error', () => {});
      extra.push(connection);
      return connection;
    },
    get connected() {
      return redis.status === 'ready';
    },
    async close() {
      for (const c of [redis, ...extra]) c.disconnect();
    },
  };
}
