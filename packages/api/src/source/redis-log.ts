import { createHash } from 'node:crypto';
import type { Instance, InstanceStatus, Reservation } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, StreamStatusEvent } from '@aws-trpc/shared';
import { transformer } from '@aws-trpc/shared';
import type { Redis } from 'ioredis';
import { essentials } from './write-through';

/**
 * The shared log of one (region, credential identity) in Redis, and what replicas coordinate on:
 * - `log`: a Redis Stream; its ids are the events' ids (`lastEventId` resumes on any replica);
 *   entries are change and status events, `read` markers (a full read was done at `readAt`) and
 *   `forget` markers; bounded with XADD MAXLEN ~;
 * - `lease`: which replica reads AWS (SET NX PX, renewed), with a fencing value: appends are made by a
 *   script that checks the lease first, so a reader that lost it cannot write;
 * - `snapshot`: the view as of a log id, so a replica that starts (or takes over) rebuilds without
 *   replaying the whole log;
 * - `inbox`: what replicas ask of the reader (their own calls' answers, a fresh read);
 * - `presence`: which instances each replica's listeners follow, and whether they need status checks.
 * Keys share one hash tag, so they live on one slot of a cluster.
 */

export interface LogKeys {
  log: string;
  lease: string;
  fence: string;
  snapshot: string;
  inbox: string;
  presence: string;
}

/** The identity is hashed: Redis never holds an access key id. */
export function logKeys(region: string, identity: string): LogKeys {
  const id = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  const base = `aws-trpc:{${region}:${id}}`;
  return {
    log: `${base}:log`,
    lease: `${base}:lease`,
    fence: `${base}:fence`,
    snapshot: `${base}:snapshot`,
    inbox: `${base}:inbox`,
    presence: `${base}:presence`,
  };
}

/** A stream id (`1733212345678-3`) as a number that orders like it (ms × 1000 + sequence). */
export function streamSeq(id: string): number {
  const dash = id.indexOf('-');
  if (dash <= 0) return Number.NaN;
  const ms = Number(id.slice(0, dash));
  const n = Number(id.slice(dash + 1));
  return Number.isSafeInteger(ms) && Number.isSafeInteger(n) ? ms * 1000 + Math.min(n, 999) : Number.NaN;
}

export const isStreamId = (id: string | undefined): id is string => !!id && /^\d+-\d+$/.test(id);

/** What a log entry holds, decoded. */
export type LogRecord =
  | {
      kind: 'change';
      event: InstanceChangeEvent;
      after: Instance;
      reservation: Omit<Reservation, 'Instances'>;
    }
  | { kind: 'status'; event: StreamStatusEvent }
  | {
      kind: 'read';
      readAt: number;
      statuses?: InstanceStatus[];
      statusError?: { name: string; message: string };
    }
  | { kind: 'forget'; instanceIds: string[] };

/** Dates and bytes survive as they are (the shared transformer), so a follower answers as AWS did. */
export function encodeRecord(record: LogRecord): string[] {
  return ['r', JSON.stringify(transformer.serialize(record))];
}

/** The value of field `name` of a stream entry (`[name, value, name, value, …]`), the first if repeated. */
export function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** A field holding a transformer-serialized value; undefined when it is missing or unreadable. */
function decodeField<T>(fields: string[], name: string): T | undefined {
  const text = fieldOf(fields, name);
  if (text === undefined) return undefined;
  try {
    return transformer.deserialize(JSON.parse(text)) as T;
  } catch {
    return undefined;
  }
}

export function decodeRecord(fields: string[]): LogRecord | undefined {
  return decodeField<LogRecord>(fields, 'r');
}

/** A call made through a replica that does not hold the lease, for the reader (the inbox). */
export interface InboxCall {
  operation: string;
  input: unknown;
  output: unknown;
  at: number;
}

export function encodeCall(call: InboxCall): string[] {
  const written = essentials(call);
  return ['k', 'call', 'c', JSON.stringify(transformer.serialize({ ...written, at: call.at }))];
}

export function decodeCall(fields: string[]): InboxCall | undefined {
  return decodeField<InboxCall>(fields, 'c');
}

/** The Lua scripts replicas coordinate with; each checks the lease value before it acts. */
export const scripts = {
  /**
   * KEYS: lease, log. ARGV: lease value, max length, then each entry as its field count and fields.
   * Appends them in order, in one step (a follower's blocked XREAD wakes once for all of them), and
   * answers their ids, or nil when the lease is not this value.
   */
  fencedAppend: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local ids = {}
local i = 3
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  local fields = {}
  for j = i + 1, i + n do fields[#fields + 1] = ARGV[j] end
  ids[#ids + 1] = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
  i = i + n + 1
end
return ids`,
  /** KEYS: lease. ARGV: value, ttl ms. 1 when renewed, 0 when the lease is someone else's (or gone). */
  renew: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  /** KEYS: lease. ARGV: value. Deletes the lease only if it is still this replica's. */
  release: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  /** KEYS: lease, snapshot. ARGV: value, snapshot. Writes the snapshot only as the lease holder. */
  fencedSnapshot: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`,
};

type ScriptClient = Redis & {
  fencedAppend(
    lease: string,
    log: string,
    value: string,
    maxLen: number,
    ...entries: (string | number)[]
  ): Promise<string[] | null>;
  renewLease(lease: string, value: string, ttl: number): Promise<number>;
  releaseLease(lease: string, value: string): Promise<number>;
  fencedSnapshot(lease: string, snapshot: string, value: string, json: string): Promise<number>;
};

const defined = new WeakSet<Redis>();

/** The client with the scripts defined on it (EVALSHA, loaded on first use). */
export function withScripts(redis: Redis): ScriptClient {
  if (!defined.has(redis)) {
    redis.defineCommand('fencedAppend', { numberOfKeys: 2, lua: scripts.fencedAppend });
    redis.defineCommand('renewLease', { numberOfKeys: 1, lua: scripts.renew });
    redis.defineCommand('releaseLease', { numberOfKeys: 1, lua: scripts.release });
    redis.defineCommand('fencedSnapshot', { numberOfKeys: 2, lua: scripts.fencedSnapshot });
    defined.add(redis);
  }
  return redis as ScriptClient;
}

/** The view a snapshot holds, as of log id `id`. */
export interface Snapshot {
  id: string;
  readAt: number;
  instances: { raw: Instance; reservation: Omit<Reservation, 'Instances'>; at: number }[];
}

export function encodeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(transformer.serialize(snapshot));
}

export function decodeSnapshot(text: string | null): Snapshot | undefined {
  if (!text) return undefined;
  try {
    return transformer.deserialize(JSON.parse(text)) as Snapshot;
  } catch {
    return undefined;
  }
}

/** What a replica's listeners need of the reader, published in `presence`. */
export interface Presence {
  /** Until when it holds (ms, the replica's clock); a dead replica's presence lapses. */
  until: number;
  /** A listener follows every instance. */
  all: boolean;
  ids: string[];
  /** A listener reads status checks (DescribeInstanceStatus). */
  status: boolean;
}
