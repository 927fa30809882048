import type { EC2Client, InstanceStatus } from '@aws-sdk/client-ec2';
import type { Redis } from 'ioredis';
import type { SharedStore } from '../core/redis';
import { type Scheduler, sleep } from '../time/scheduler';
import type { NewEntry, SourceEntry } from './event-log';
import { type EventSink, type HubOptions, InstanceStateHub, type PushFeed } from './instance-hub';
import { type TrackedInstance, trackedFrom } from './instance-record';
import {
  decodeCall,
  decodeRecord,
  decodeSnapshot,
  encodeCall,
  encodeRecord,
  encodeSnapshot,
  fieldOf,
  isStreamId,
  type LogKeys,
  type LogRecord,
  type Presence,
  streamSeq,
  withScripts,
} from './redis-log';
import type { SourceListener, SourceView, StateSource } from './state-source';
import { errorSummary } from './upstream-error';
import { type WrittenCall, writesThrough, writtenThrough } from './write-through';

export interface ReplicatedSourceOptions {
  store: SharedStore;
  keys: LogKeys;
  client: EC2Client;
  scheduler: Scheduler;
  hub: HubOptions;
  /** The push source for this replica's reader, while it holds the lease. */
  pushFor?: (reader: InstanceStateHub) => PushFeed | undefined;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  onDispose: () => void;
}

/** How long a snapshot may lag the log before the reader writes a new one. */
const snapshotEveryMs = 30_000;
/** At most this many log records go to Redis in one script call (Redis runs a script alone). */
const appendBatch = 200;
/** How long a replica waits for the reader's fresh read before it answers from what it has. */
const readWaitMs = 10_000;

/**
 * The state source of one (region, credentials) when replicas share Redis. Every replica, the reader
 * included, builds its view and serves its listeners from the shared log alone (XREAD, one read per
 * replica whatever its number of subscribers), so all deliver the same events with the same ids. The
 * replica holding the lease also runs the reader: an InstanceStateHub whose events go to the log
 * (fenced by the lease) instead of to listeners. When the holder dies, another replica takes the lease
 * once it expires, seeds its reader from its own view, and its first read logs only what changed.
 */
export class ReplicatedSource implements StateSource {
  readonly epoch = 'shared';
  private readonly instances = new Map<string, TrackedInstance>();
  private statuses: Map<string, InstanceStatus> | undefined;
  private statusError: unknown;
  private readAt = Number.NEGATIVE_INFINITY;
  private observedAt = 0;
  private listenedAt = Number.POSITIVE_INFINITY;
  private lastId = '0-0';
  private window: SourceEntry[] = [];
  private readonly listeners = new Set<SourceListener>();
  private readonly readWaits = new Set<{ after: number; resolve: () => void }>();
  private reader:
    | { hub: InstanceStateHub; lease: string; unlisten: () => void; follow: SourceListener }
    | undefined;
  private appends: Promise<unknown> = Promise.resolve();
  private pending: LogRecord[] = [];
  private lastSnapshot = 0;
  private linkDown = false;
  private disposed = false;
  private readonly stopped = new AbortController();
  private cancelTick: (() => void) | undefined;
  private cancelLinger: (() => void) | undefined;
  private readonly loaded: Promise<void>;
  private readonly blocking: Redis[] = [];

  constructor(private readonly options: ReplicatedSourceOptions) {
    this.loaded = this.load();
    void this.loaded.then(() => this.readLog());
  }

  private get redis() {
    return withScripts(this.options.store.redis);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get bufferedEntries(): number {
    return this.window.length;
  }

  /** DescribeInstances calls this replica's reader made (while it held the lease). */
  get describes(): number {
    return this.reader?.hub.counters.describes ?? 0;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  current(): SourceView | undefined {
    if (this.readAt < this.listenedAt) return undefined;
    const seq = streamSeq(this.lastId) || 0;
    return {
      cursor: this.lastId,
      seq,
      readAt: this.readAt,
      observedAt: this.observedAt,
      instances: this.instances,
      ...(this.statuses ? { statuses: this.statuses } : {}),
      ...(this.statusError !== undefined ? { statusError: this.statusError } : {}),
    };
  }

  since(cursor: string): SourceEntry[] | undefined {
    const seq = streamSeq(cursor);
    if (Number.isNaN(seq)) return undefined;
    if (cursor === this.lastId) return [];
    const i = this.window.findIndex((e) => e.id === cursor);
    return i === -1 ? undefined : this.window.slice(i + 1);
  }

  /**
   * A cursor from another replica, older than this one's window: the entries after it are read from
   * the log, exactly, if the log still holds the cursor's own entry (nothing after it was trimmed).
   */
  async prepareResume(cursor: string): Promise<void> {
    await this.loaded;
    if (!isStreamId(cursor) || this.since(cursor)) return;
    const head = streamSeq(this.lastId);
    const rows = (await this.redis.xrange(
      this.options.keys.log,
      cursor,
      '+',
      'COUNT',
      this.options.store.retention,
    )) as [string, string[]][];
    if (rows[0]?.[0] !== cursor) return;
    const older: SourceEntry[] = [];
    for (const [id, fields] of rows) {
      if (streamSeq(id) > head) break;
      const record = decodeRecord(fields);
      if (record?.kind === 'change' || record?.kind === 'status') {
        older.push({
          seq: streamSeq(id),
          id,
          event: record.event,
          ...(record.kind === 'change' ? { after: record.after } : {}),
        });
      }
    }
    // The entry at the cursor itself anchors the window, so since(cursor) finds it.
    const anchor: SourceEntry = {
      seq: streamSeq(cursor),
      id: cursor,
      event: { type: 'status', status: 'recovered', observedAt: '' },
    };
    const newer = this.window.filter((e) => e.seq > (older.at(-1)?.seq ?? streamSeq(cursor)));
    this.window = [anchor, ...older.filter((e) => e.id !== cursor), ...newer];
  }

  listen(listener: SourceListener): () => void {
    if (this.disposed) throw new Error('state source disposed');
    this.listeners.add(listener);
    this.cancelLinger?.();
    this.cancelLinger = undefined;
    if (this.listeners.size === 1) {
      this.listenedAt = this.options.scheduler.now();
      // A fresh view for the first listener: ask the reader (this replica, soon, or another) for a read.
      void this.readSince(this.listenedAt);
      void this.tick();
    }
    let listening = true;
    return () => {
      if (!listening) return;
      listening = false;
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.idle();
    };
  }

  refresh(): Promise<void> {
    return this.readSince(this.options.scheduler.now());
  }

  async readSince(time: number): Promise<void> {
    await this.loaded;
    if (this.readAt >= time) return;
    const fresh = new Promise<void>((resolve) => {
      const wait = { after: time, resolve };
      this.readWaits.add(wait);
      const cancel = this.options.scheduler.schedule(() => {
        this.readWaits.delete(wait);
        resolve();
      }, readWaitMs);
      const done = wait.resolve;
      wait.resolve = () => {
        cancel();
        done();
      };
    });
    if (this.reader) void this.reader.hub.readSince(time);
    else await this.toReader(['k', 'read', 't', String(time)]);
    return fresh;
  }

  /** A call made through this replica: the reader applies it, here or on the replica that holds the lease. */
  async writeThrough(call: WrittenCall): Promise<void> {
    if (!writesThrough(call.operation)) return;
    const at = this.options.scheduler.now();
    if (this.reader) {
      this.applyCall(this.reader.hub, { ...call, at });
      return;
    }
    await this.toReader(encodeCall({ ...call, at }));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopped.abort();
    this.cancelTick?.();
    this.cancelLinger?.();
    this.resign('shutting down', true);
    void this.redis.hdel(this.options.keys.presence, this.options.store.replicaId).catch(() => {});
    for (const c of this.blocking) c.disconnect();
    for (const w of this.readWaits) w.resolve();
    this.readWaits.clear();
    this.listeners.clear();
    this.options.onDispose();
  }

  /** The latest snapshot, then the log after it: this replica's view before it reads live. */
  private async load(): Promise<void> {
    try {
      const snapshot = decodeSnapshot(await this.redis.get(this.options.keys.snapshot));
      if (snapshot) {
        for (const i of snapshot.instances) {
          if (i.raw.InstanceId) this.instances.set(i.raw.InstanceId, trackedFrom(i.raw, i.reservation, i.at));
        }
        this.lastId = snapshot.id;
      }
      const rows = (await this.redis.xrange(
        this.options.keys.log,
        snapshot ? `(${snapshot.id}` : '-',
        '+',
      )) as [string, string[]][];
      for (const [id, fields] of rows) this.apply(id, decodeRecord(fields), false);
    } catch (error) {
      this.options.log?.('shared log unreachable at start; following it once Redis answers', {
        error: errorSummary(error).message,
      });
    }
  }

  /** Follows the log: one blocking XREAD per replica, whatever its number of subscribers. */
  private async readLog(): Promise<void> {
    const connection = this.options.store.blocking();
    this.blocking.push(connection);
    while (!this.disposed) {
      try {
        const answer = (await connection.xread(
          'COUNT',
          1000,
          'BLOCK',
          2_000,
          'STREAMS',
          this.options.keys.log,
          this.lastId,
        )) as [string, [string, string[]][]][] | null;
        for (const [, rows] of answer ?? [])
          for (const [id, fields] of rows) this.apply(id, decodeRecord(fields), true);
      } catch {
        if (this.disposed) return;
        await sleep(this.options.scheduler, 500, this.stopped.signal);
      }
    }
  }

  private apply(id: string, record: LogRecord | undefined, deliver: boolean): void {
    if (streamSeq(id) <= streamSeq(this.lastId)) return;
    this.lastId = id;
    if (!record) return;
    const seq = streamSeq(id);
    if (record.kind === 'change') {
      const instanceId = record.event.instanceId;
      const before = this.instances.get(instanceId);
      const after = trackedFrom(record.after, record.reservation, Date.parse(record.event.observedAt));
      this.instances.set(instanceId, after);
      this.record(
        { seq, id, event: record.event, ...(before ? { before: before.raw } : {}), after: record.after },
        deliver,
      );
    } else if (record.kind === 'status') {
      this.record({ seq, id, event: record.event }, deliver);
    } else if (record.kind === 'forget') {
      for (const instanceId of record.instanceIds) this.instances.delete(instanceId);
    } else if (record.kind === 'read') {
      this.readAt = Math.max(this.readAt, record.readAt);
      this.observedAt = this.options.scheduler.now();
      this.statuses = record.statuses
        ? new Map(record.statuses.flatMap((s) => (s.InstanceId ? [[s.InstanceId, s] as const] : [])))
        : undefined;
      this.statusError = record.statusError
        ? Object.assign(new Error(record.statusError.message), { name: record.statusError.name })
        : undefined;
      for (const w of [...this.readWaits]) {
        if (this.readAt < w.after) continue;
        this.readWaits.delete(w);
        w.resolve();
      }
      if (deliver) {
        const view = this.current();
        if (view) for (const l of [...this.listeners]) l.onRead?.(view);
      }
    }
  }

  private record(entry: SourceEntry, deliver: boolean): void {
    this.window.push(entry);
    if (this.window.length > this.options.hub.bufferSize)
      this.window.splice(0, this.window.length - this.options.hub.bufferSize);
    if (deliver) for (const l of [...this.listeners]) l.onEntry?.(entry);
  }

  /** Told to this replica's listeners only: its link to Redis failed, or works again. */
  private link(up: boolean, error?: unknown): void {
    if (this.linkDown === !up) return;
    this.linkDown = !up;
    const observedAt = new Date(this.options.scheduler.now()).toISOString();
    const event = up
      ? ({ type: 'status', status: 'recovered', observedAt } as const)
      : ({
          type: 'status',
          status: 'degraded',
          observedAt,
          error: errorSummary(error),
          retryInMs: this.tickMs(),
        } as const);
    const entry: SourceEntry = { seq: streamSeq(this.lastId) || 0, id: this.lastId, event, local: true };
    for (const l of [...this.listeners]) l.onEntry?.(entry);
    this.options.log?.(up ? 'shared log reachable again' : 'shared log unreachable: streams degraded', {});
  }

  private tickMs(): number {
    return Math.max(100, Math.floor(this.options.store.leaseTtlMs / 3));
  }

  /** Every third of the lease: publish what this replica's listeners follow; hold, renew or seek the lease. */
  private async tick(): Promise<void> {
    this.cancelTick?.();
    this.cancelTick = undefined;
    if (this.disposed) return;
    const { keys, store } = this.options;
    try {
      if (this.listeners.size > 0) {
        await this.redis.hset(keys.presence, store.replicaId, JSON.stringify(this.presence()));
      } else {
        await this.redis.hdel(keys.presence, store.replicaId);
      }
      if (this.reader) {
        const renewed = await this.redis.renewLease(keys.lease, this.reader.lease, store.leaseTtlMs);
        if (!renewed) this.resign('lease lost');
        else if (this.listeners.size === 0 && !(await this.othersListen()))
          this.resign('nobody listens', true);
        else await this.followPresence();
      } else if (this.listeners.size > 0) {
        const lease = `${store.replicaId}#${await this.redis.incr(keys.fence)}`;
        if ((await this.redis.set(keys.lease, lease, 'PX', store.leaseTtlMs, 'NX')) === 'OK')
          this.lead(lease);
      }
      this.link(true);
    } catch (error) {
      this.link(false, error);
      this.resign('redis unreachable');
    }
    if (!this.disposed && (this.listeners.size > 0 || this.reader)) {
      this.cancelTick = this.options.scheduler.schedule(() => this.tick(), this.tickMs());
    }
  }

  private presence(): Presence {
    let all = false;
    let status = false;
    const ids = new Set<string>();
    for (const l of this.listeners) {
      if (l.needs === 'status') status = true;
      if (!l.watches) all = true;
      else for (const id of l.watches) ids.add(id);
    }
    return { until: Date.now() + 3 * this.tickMs(), all, ids: all ? [] : [...ids], status };
  }

  private async presences(): Promise<Presence[]> {
    const all = await this.redis.hgetall(this.options.keys.presence);
    const now = Date.now();
    return Object.values(all)
      .map((text) => {
        try {
          return JSON.parse(text) as Presence;
        } catch {
          return undefined;
        }
      })
      .filter((p): p is Presence => p !== undefined && p.until > now);
  }

  private async othersListen(): Promise<boolean> {
    const all = await this.redis.hgetall(this.options.keys.presence);
    const now = Date.now();
    return Object.entries(all).some(([replica, text]) => {
      if (replica === this.options.store.replicaId) return false;
      try {
        return (JSON.parse(text) as Presence).until > now;
      } catch {
        return false;
      }
    });
  }

  /** The reader follows what every replica's listeners follow, and reads statuses when any needs them. */
  private async followPresence(): Promise<void> {
    const reader = this.reader;
    if (!reader) return;
    const presences = await this.presences();
    const all = presences.some((p) => p.all);
    const status = presences.some((p) => p.status);
    const ids = new Set(presences.flatMap((p) => p.ids));
    (reader.follow as { watches?: ReadonlySet<string> }).watches = all ? undefined : ids;
    if (status !== (reader.follow.needs === 'status')) {
      const follow: SourceListener = { ...reader.follow, ...(status ? { needs: 'status' } : {}) };
      if (!status) delete (follow as { needs?: string }).needs;
      const unlisten = reader.hub.listen(follow);
      reader.unlisten();
      this.reader = { ...reader, follow, unlisten };
    }
  }

  /** This replica holds the lease: it runs the reader, seeded with its own view of the log. */
  private lead(lease: string): void {
    const { client, scheduler, hub: hubOptions, keys, store } = this.options;
    const sink: EventSink = {
      append: (entry) => this.toLog(lease, toRecord(entry)),
      forget: (instanceIds) => this.toLog(lease, { kind: 'forget', instanceIds }),
    };
    const hub = new InstanceStateHub(client, scheduler, hubOptions, () => {}, sink);
    hub.seed(this.instances);
    const push = this.options.pushFor?.(hub);
    if (push) hub.attachPush(push);
    const follow: SourceListener = {
      // Each full read is logged as a marker, so every replica's waiters know how fresh its view is.
      onRead: (view) =>
        this.toLog(lease, {
          kind: 'read',
          readAt: view.readAt,
          ...(view.statuses ? { statuses: [...view.statuses.values()] } : {}),
          ...(view.statusError !== undefined ? { statusError: errorSummaryOf(view.statusError) } : {}),
        }),
    };
    const unlisten = hub.listen(follow);
    this.reader = { hub, lease, unlisten, follow };
    this.options.log?.('this replica reads AWS for the shared log', {
      replica: store.replicaId,
      lease: keys.lease,
    });
    void this.followPresence();
    void this.readInbox(hub);
  }

  private resign(why: string, release = false): void {
    const reader = this.reader;
    if (!reader) return;
    this.reader = undefined;
    reader.unlisten();
    reader.hub.dispose();
    if (release) void this.redis.releaseLease(this.options.keys.lease, reader.lease).catch(() => {});
    this.options.log?.('this replica stops reading AWS for the shared log', { why });
  }

  /**
   * Appends in order, fenced: a reader that lost its lease cannot write, and gives the reading up.
   * What one tick logs (a read's changes and its marker) goes in one script call.
   */
  private toLog(lease: string, record: LogRecord): void {
    this.pending.push(record);
    if (this.pending.length > 1) return;
    queueMicrotask(() => {
      const records = this.pending.splice(0);
      // A first read of a large fleet logs many changes at once: keep each script call short.
      for (let i = 0; i < records.length; i += appendBatch) {
        const batch = records.slice(i, i + appendBatch);
        this.appends = this.appends.then(() => this.append(lease, batch));
      }
    });
  }

  private async append(lease: string, batch: LogRecord[]): Promise<void> {
    const { keys, store } = this.options;
    if (this.reader?.lease !== lease) return;
    const args: (string | number)[] = [];
    for (const record of batch) {
      const fields = encodeRecord(record);
      args.push(fields.length, ...fields);
    }
    try {
      const ids = await this.redis.fencedAppend(keys.lease, keys.log, lease, store.retention, ...args);
      if (!ids) this.resign('lease lost (fenced)');
      else if (batch.some((r) => r.kind === 'read')) await this.maybeSnapshot(lease);
    } catch (error) {
      this.link(false, error);
      this.resign('redis unreachable');
    }
  }

  private async maybeSnapshot(lease: string): Promise<void> {
    const now = this.options.scheduler.now();
    if (now - this.lastSnapshot < snapshotEveryMs) return;
    this.lastSnapshot = now;
    const snapshot = {
      id: this.lastId,
      readAt: this.readAt,
      instances: [...this.instances.values()].map((t) => ({
        raw: t.raw,
        reservation: t.reservation,
        at: t.at,
      })),
    };
    await this.redis.fencedSnapshot(
      this.options.keys.lease,
      this.options.keys.snapshot,
      lease,
      encodeSnapshot(snapshot),
    );
  }

  /** What other replicas ask of the reader: their calls' answers, fresh reads. */
  private async readInbox(hub: InstanceStateHub): Promise<void> {
    const connection = this.options.store.blocking();
    this.blocking.push(connection);
    let last = '$';
    try {
      const newest = (await this.redis.xrevrange(this.options.keys.inbox, '+', '-', 'COUNT', 1)) as [
        string,
        string[],
      ][];
      if (newest[0]) last = newest[0][0];
    } catch {
      // '$': only what comes from now on.
    }
    while (this.reader?.hub === hub && !this.disposed) {
      try {
        const answer = (await connection.xread(
          'COUNT',
          100,
          'BLOCK',
          1_000,
          'STREAMS',
          this.options.keys.inbox,
          last,
        )) as [string, [string, string[]][]][] | null;
        for (const [, rows] of answer ?? []) {
          for (const [id, fields] of rows) {
            last = id;
            const kind = fieldOf(fields, 'k');
            if (kind === 'read') void hub.readSince(Number(fieldOf(fields, 't')));
            if (kind === 'call') {
              const call = decodeCall(fields);
              if (call) this.applyCall(hub, call);
            }
          }
        }
      } catch {
        if (this.reader?.hub !== hub) break;
        await sleep(this.options.scheduler, 500, this.stopped.signal);
      }
    }
    connection.disconnect();
  }

  private applyCall(hub: InstanceStateHub, call: WrittenCall & { at: number }): void {
    const { observations, retags } = writtenThrough(call.operation, call.input, call.output, call.at);
    for (const r of retags) hub.retag(r.instanceId, r.change);
    void hub.observe(observations, 'write-through').catch(() => {});
  }

  private async toReader(fields: string[]): Promise<void> {
    try {
      await this.redis.xadd(this.options.keys.inbox, 'MAXLEN', '~', 1_000, '*', ...fields);
    } catch {
      // The reader's next read sees the change anyway; a read request then waits its bound.
    }
  }

  private idle(): void {
    this.listenedAt = Number.POSITIVE_INFINITY;
    void this.tick();
    const linger = this.options.hub.lingerMs;
    if (linger <= 0) {
      this.dispose();
      return;
    }
    this.cancelLinger = this.options.scheduler.schedule(() => {
      if (this.listeners.size === 0) this.dispose();
    }, linger);
  }
}

function toRecord(entry: NewEntry): LogRecord {
  if (entry.event.type === 'change') {
    return { kind: 'change', event: entry.event, after: entry.after!, reservation: entry.reservation ?? {} };
  }
  return { kind: 'status', event: entry.event };
}

function errorSummaryOf(error: unknown): { name: string; message: string } {
  const e = error as { name?: string; message?: string };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error) };
}
