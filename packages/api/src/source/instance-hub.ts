import type { EC2Client, InstanceStatus, Tag } from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, InstanceStateName } from '@aws-trpc/shared';
import type { Scheduler } from '../time/scheduler';
import { EventLog, type NewEntry } from './event-log';
import { type TrackedInstance, withState, withTags } from './instance-record';
import { follows, supersedes, transitionalStates } from './lifecycle';
import { readAllInstances, readAllStatuses, readInstances, type UpstreamCounters } from './page-walk';
import { nextReadDelay, type PollTiming } from './poll-schedule';
import type { SourceEntry, SourceListener, SourceView, StateSource } from './state-source';
import { errorSummary } from './upstream-error';

/** How the source learned of a change: its own read, the gateway's own call, or an EventBridge event. */
export type ObservationSource = InstanceChangeEvent['source'];

/** One instance seen in one state at one moment. */
export interface Observation {
  instanceId: string;
  state: InstanceStateName;
  /** When it was true (ms). */
  at: number;
  /** The whole instance, when the observer has it (RunInstances, DescribeInstances). */
  instance?: TrackedInstance;
  reason?: string;
}

/** polling: listeners and reads succeed; degraded: a feed fails, backing off; idle: nobody listens. */
export type PollerState = 'polling' | 'degraded' | 'idle';

export interface HubOptions extends PollTiming {
  /** Events kept for resume. */
  bufferSize: number;
  /** How long the log and the view outlive the last listener, so a lone client can still resume. */
  lingerMs: number;
  /** Told when the reader's state changes (the gateway's `aws_trpc_poller_state` metric). */
  onState?: (region: string, state: PollerState) => void;
}

/** The push source as the hub drives it: consuming while someone listens. */
export interface PushFeed {
  start(): void;
  stop(): void;
  /** Configured and its last receive worked. */
  readonly healthy: boolean;
}

/** What a hub can hear from: its reads, the push source, and a reader taking over from another replica. */
export type Feed = 'poll' | 'push' | 'handover';

/**
 * Where a hub's events go instead of its own log, when it is the reader of replicas sharing Redis: the
 * shared log, from which every replica (this one included) delivers them (see replicated-source.ts).
 */
export interface EventSink {
  append(entry: NewEntry): void;
  /** Instances EC2 no longer lists (terminated over an hour ago): dropped from every view, no event. */
  forget(instanceIds: string[]): void;
}

/**
 * The state source of one (region, credential identity): the view of every instance and the log of
 * its changes, fed by full reads (DescribeInstances, on poll-schedule.ts's policy), the gateway's own
 * state-changing calls (write-through) and the push source. Every feed goes through `apply`, which
 * orders observations by time and lifecycle (lifecycle.ts), so a state is logged once, in order, and a
 * stale observation never moves an instance back.
 */
export class InstanceStateHub implements StateSource {
  readonly epoch: string;
  readonly counters: UpstreamCounters = { describes: 0, statusReads: 0 };
  private readonly log: EventLog;
  private readonly listeners = new Set<SourceListener>();
  private readonly statusListeners = new Set<SourceListener>();
  private readonly instances = new Map<string, TrackedInstance>();
  /** Instances the gateway itself moved into a transition: followed until they rest. */
  private readonly written = new Set<string>();
  private statuses: Map<string, InstanceStatus> | undefined;
  private statusError: unknown;
  /** When the latest successful full read started. */
  private readAt = Number.NEGATIVE_INFINITY;
  private observedAt = 0;
  /** A full read completed since listening (re)started. */
  private fresh = false;
  private hasBaseline = false;
  private reading: { promise: Promise<void>; startedAt: number } | undefined;
  private timer: { cancel(): void; due: number } | undefined;
  private cancelLinger: (() => void) | undefined;
  private failures = 0;
  private readonly failing = new Map<Feed, true>();
  private disposed = false;
  private readonly abort = new AbortController();
  private state: PollerState = 'idle';
  private region: string | undefined;
  private push: PushFeed | undefined;

  constructor(
    readonly client: EC2Client,
    private readonly scheduler: Scheduler,
    private readonly options: HubOptions,
    private readonly onDispose: () => void,
    private readonly sink?: EventSink,
  ) {
    this.log = new EventLog(options.bufferSize, scheduler.now());
    this.epoch = this.log.epoch;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get bufferedEntries(): number {
    return this.log.size;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Starts from a view another replica built (the shared log's), as a reader taking over: its first
   * read then logs only what changed since, not every instance as new.
   */
  seed(instances: ReadonlyMap<string, TrackedInstance>): void {
    for (const [id, t] of instances) this.instances.set(id, t);
    this.hasBaseline = true;
  }

  /** The push source that feeds this hub while someone listens (registry.ts attaches it). */
  attachPush(feed: PushFeed): void {
    this.push = feed;
    if (this.listeners.size > 0) feed.start();
  }

  current(): SourceView | undefined {
    return this.fresh ? this.view() : undefined;
  }

  since(cursor: string): SourceEntry[] | undefined {
    return this.log.since(cursor);
  }

  listen(listener: SourceListener): () => void {
    if (this.disposed) throw new Error('state source disposed');
    this.listeners.add(listener);
    this.cancelLinger?.();
    this.cancelLinger = undefined;
    if (this.listeners.size === 1) {
      if (!this.timer && !this.reading) void this.refresh();
      this.push?.start();
    }
    if (listener.needs === 'status') {
      this.statusListeners.add(listener);
      if (this.statusListeners.size === 1) void this.readStatusesSoon();
    }
    let listening = true;
    return () => {
      if (!listening) return;
      listening = false;
      this.listeners.delete(listener);
      if (this.statusListeners.delete(listener) && this.statusListeners.size === 0) this.dropStatuses();
      if (this.listeners.size === 0) this.idle();
    };
  }

  refresh(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (!this.reading) {
      const startedAt = this.scheduler.now();
      const reading = { startedAt, promise: Promise.resolve() };
      reading.promise = this.readAll(startedAt).finally(() => {
        if (this.reading === reading) this.reading = undefined;
      });
      this.reading = reading;
    }
    return this.reading.promise;
  }

  async readSince(time: number): Promise<void> {
    // Bounded: each turn either finds a fresh read, joins one that started late enough, or starts one.
    for (let turn = 0; turn < 3 && !this.disposed; turn++) {
      if (this.fresh && this.readAt >= time) return;
      const reading = this.reading;
      if (!reading) return this.refresh();
      await reading.promise;
      if (reading.startedAt >= time) return;
    }
  }

  /**
   * Applies what a feed saw. Observations of instances the view does not hold yet, and that carry no
   * details, are completed with one DescribeInstances of just those ids (batched), so every change
   * event carries the instance's tags, type and zone.
   */
  async observe(observations: readonly Observation[], source: ObservationSource): Promise<void> {
    if (this.disposed || observations.length === 0) return;
    const unknown = [
      ...new Set(
        observations.filter((o) => !o.instance && !this.instances.has(o.instanceId)).map((o) => o.instanceId),
      ),
    ];
    let details = new Map<string, TrackedInstance>();
    if (unknown.length > 0) {
      const at = this.scheduler.now();
      details = await readInstances(this.client, unknown, at, this.counters, this.abort.signal);
      if (this.disposed) return;
    }
    const byInstance = new Map<string, Observation[]>();
    for (const o of observations) {
      const instance = o.instance ?? details.get(o.instanceId);
      const list = byInstance.get(o.instanceId) ?? [];
      list.push(instance ? { ...o, instance } : o);
      byInstance.set(o.instanceId, list);
    }
    for (const [id, list] of byInstance) {
      for (const o of this.inLifecycleOrder(id, list)) this.apply(o, source);
      // What the describe of a new instance showed is an observation too (it may be later still).
      const seen = details.get(id);
      if (seen) this.apply({ instanceId: id, state: seen.record.state, at: seen.at, instance: seen }, 'poll');
    }
    this.readSooner();
  }

  /** CreateTags / DeleteTags through the gateway: the view's tags change at once (filters select by them). */
  retag(instanceId: string, change: (tags: readonly Tag[]) => Tag[]): void {
    const t = this.instances.get(instanceId);
    if (t) this.instances.set(instanceId, withTags(t, change(t.raw.Tags ?? [])));
  }

  /** A feed failed: the first failure of any feed tells every listener (`degraded`). */
  feedFailed(feed: Feed, error: unknown, retryInMs: number): void {
    if (this.failing.has(feed)) return;
    this.failing.set(feed, true);
    if (this.failing.size > 1) return;
    if (this.listeners.size > 0) this.setState('degraded');
    this.append({
      event: {
        type: 'status',
        status: 'degraded',
        observedAt: new Date(this.scheduler.now()).toISOString(),
        error: errorSummary(error),
        retryInMs,
      },
    });
    this.scheduleNext();
  }

  /** A feed works again: once none fails, every listener hears `recovered`. */
  feedRecovered(feed: Feed): void {
    if (!this.failing.delete(feed) || this.failing.size > 0) return;
    if (this.listeners.size > 0) this.setState('polling');
    this.append({
      event: {
        type: 'status',
        status: 'recovered',
        observedAt: new Date(this.scheduler.now()).toISOString(),
      },
    });
    this.scheduleNext();
  }

  /** Stops for good: timers, feeds, the request in flight, the log. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.timer?.cancel();
    this.cancelLinger?.();
    this.timer = this.cancelLinger = undefined;
    this.push?.stop();
    this.abort.abort();
    this.setState('idle');
    this.listeners.clear();
    this.statusListeners.clear();
    this.log.clear();
    this.instances.clear();
    this.dropStatuses();
    this.onDispose();
  }

  private view(): SourceView {
    const seq = this.log.head;
    return {
      cursor: this.log.cursorAt(seq),
      seq,
      readAt: this.readAt,
      observedAt: this.observedAt,
      instances: this.instances,
      ...(this.statuses ? { statuses: this.statuses } : {}),
      ...(this.statusError !== undefined ? { statusError: this.statusError } : {}),
    };
  }

  private async readAll(startedAt: number): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    let next: Map<string, TrackedInstance>;
    try {
      // The SDK resolves its region lazily; the metric is labelled with it.
      if (this.options.onState) this.region ??= await this.client.config.region();
      next = await readAllInstances(this.client, startedAt, this.counters, this.abort.signal);
    } catch (error) {
      if (this.disposed) return;
      this.reading = undefined;
      this.failures++;
      this.feedFailed('poll', error, this.delay());
      this.scheduleNext();
      return;
    }
    if (this.disposed) return;
    // Read after DescribeInstances, so a status listener that joined during it is served by this read.
    let statuses: Map<string, InstanceStatus> | undefined;
    let statusError: unknown;
    if (this.statusListeners.size > 0) {
      try {
        statuses = await readAllStatuses(this.client, this.counters, this.abort.signal);
      } catch (error) {
        statusError = error;
      }
      if (this.disposed) return;
    }
    // The read's upstream calls are done: a read asked for from now on (a listener reacting to this
    // one, or the next timer on a virtual clock) is a new read, not this one.
    this.reading = undefined;
    if (this.failures > 0) {
      this.failures = 0;
      this.feedRecovered('poll');
    }
    this.applyRead(next, startedAt);
    // Listeners that needed statuses may have left during the read; then they are not kept.
    if (this.statusListeners.size > 0) {
      this.statuses = statuses;
      this.statusError = statusError;
    } else this.dropStatuses();
    this.readAt = Math.max(this.readAt, startedAt);
    this.observedAt = this.scheduler.now();
    if (this.listeners.size > 0) {
      this.fresh = true;
      if (this.failing.size === 0) this.setState('polling');
    }
    const view = this.view();
    for (const l of [...this.listeners]) l.onRead?.(view);
    this.scheduleNext();
  }

  /** A full read: every instance it lists is observed at its start; an instance it no longer lists is dropped. */
  private applyRead(next: ReadonlyMap<string, TrackedInstance>, startedAt: number): void {
    for (const [id, t] of next) {
      if (!this.hasBaseline && !this.instances.has(id)) this.instances.set(id, t);
      else this.apply({ instanceId: id, state: t.record.state, at: startedAt, instance: t }, 'poll');
    }
    // EC2 stops listing terminated instances after about an hour: that is not a state change.
    const gone: string[] = [];
    for (const [id, t] of this.instances) {
      if (next.has(id) || t.at >= startedAt) continue;
      this.instances.delete(id);
      gone.push(id);
    }
    if (gone.length > 0) this.sink?.forget(gone);
    this.hasBaseline = true;
  }

  /** Logs the observation as a change when it supersedes what the view holds (lifecycle.ts). */
  private apply(o: Observation, source: ObservationSource): void {
    const current = this.instances.get(o.instanceId);
    if (!current) {
      if (!o.instance) return;
      const added = this.stated(o.instance, o);
      this.instances.set(o.instanceId, added);
      this.changed(undefined, added, source);
      return;
    }
    if (!supersedes({ state: current.record.state, at: current.at }, o)) {
      // The same state seen again by a later full read: keep its details (tags changed elsewhere).
      if (o.instance && o.state === current.record.state && o.at >= current.at) {
        this.instances.set(o.instanceId, { ...o.instance, at: current.at });
      }
      return;
    }
    const next = this.stated(o.instance ?? current, o);
    this.instances.set(o.instanceId, next);
    this.changed(current, next, source);
  }

  /** `t` in the observation's state, at its time. */
  private stated(t: TrackedInstance, o: Observation): TrackedInstance {
    return t.record.state === o.state ? { ...t, at: o.at } : withState(t, o.state, o.at, o.reason);
  }

  private changed(
    before: TrackedInstance | undefined,
    after: TrackedInstance,
    source: ObservationSource,
  ): void {
    const id = after.record.instanceId;
    if (source === 'write-through' && transitionalStates.has(after.record.state)) this.written.add(id);
    else if (!transitionalStates.has(after.record.state)) this.written.delete(id);
    this.append({
      event: {
        type: 'change',
        ...after.record,
        previousState: before?.record.state ?? null,
        observedAt: new Date(after.at).toISOString(),
        source,
      },
      ...(before ? { before: before.raw } : {}),
      after: after.raw,
      reservation: after.reservation,
    });
  }

  /**
   * One instance's observations in the order they happened: by time, and within one moment (event
   * times are whole seconds) the one closest in the lifecycle to the state the view holds first.
   */
  private inLifecycleOrder(id: string, list: Observation[]): Observation[] {
    const from = this.instances.get(id)?.record.state;
    const distance = (s: InstanceStateName) => {
      if (!from) return 0;
      for (let steps = 1; steps <= 4; steps++) if (follows(from, s, steps)) return steps;
      return 5;
    };
    return [...list].sort((a, b) => a.at - b.at || distance(a.state) - distance(b.state));
  }

  private append(entry: NewEntry): void {
    if (this.sink) {
      this.sink.append(entry);
      return;
    }
    const logged = this.log.append(entry);
    for (const l of [...this.listeners]) l.onEntry?.(logged);
  }

  /**
   * The first status listener joined a source that is already reading without statuses: read once more
   * right after the read in flight, so it does not wait a slow interval (not after a failed read: the
   * backoff stands).
   */
  private async readStatusesSoon(): Promise<void> {
    await this.reading?.promise;
    const unread = !this.statuses && this.statusError === undefined;
    if (unread && this.statusListeners.size > 0 && this.listeners.size > 0 && this.failures === 0) {
      await this.refresh();
    }
  }

  private dropStatuses(): void {
    this.statuses = undefined;
    this.statusError = undefined;
  }

  private setState(state: PollerState): void {
    if (state === this.state || !this.options.onState) return;
    this.state = state;
    if (this.region !== undefined) this.options.onState(this.region, state);
  }

  /** Nobody listens: stop reading now, keep the log for `lingerMs`, then dispose. */
  private idle(): void {
    this.setState('idle');
    this.timer?.cancel();
    this.timer = undefined;
    this.push?.stop();
    this.fresh = false;
    if (this.options.lingerMs <= 0) {
      this.dispose();
      return;
    }
    this.cancelLinger = this.scheduler.schedule(() => {
      if (this.listeners.size === 0) this.dispose();
    }, this.options.lingerMs);
  }

  private delay(): number {
    return nextReadDelay(this.options, {
      failures: this.failures,
      transitioning: this.transitioning(),
      statusesPending: this.statusesPending(),
      pushHealthy: this.push?.healthy ?? false,
    });
  }

  private scheduleNext(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.disposed || this.listeners.size === 0 || this.reading) return;
    const delay = this.delay();
    const cancel = this.scheduler.schedule(() => {
      this.timer = undefined;
      return this.refresh();
    }, delay);
    this.timer = { cancel, due: this.scheduler.now() + delay };
  }

  /** A change made the schedule busier (an instance the gateway moved is now in transition): read sooner. */
  private readSooner(): void {
    if (!this.timer) return;
    if (this.scheduler.now() + this.delay() < this.timer.due) this.scheduleNext();
  }

  /** A followed instance is in a transitional state. */
  private transitioning(): boolean {
    const followed = this.followed();
    for (const [id, t] of this.instances) {
      if (transitionalStates.has(t.record.state) && (!followed || followed.has(id) || this.written.has(id)))
        return true;
    }
    return false;
  }

  /** A status listener waits on checks that are still initializing. */
  private statusesPending(): boolean {
    if (this.statusListeners.size === 0) return false;
    const followed = this.followed();
    for (const [id, st] of this.statuses ?? []) {
      const initializing =
        st.InstanceStatus?.Status === 'initializing' || st.SystemStatus?.Status === 'initializing';
      if (initializing && (!followed || followed.has(id))) return true;
    }
    return false;
  }

  /** The ids the listeners follow; undefined when one of them follows every instance. */
  private followed(): Set<string> | undefined {
    const ids = new Set<string>();
    for (const l of this.listeners) {
      if (!l.watches) return undefined;
      for (const id of l.watches) ids.add(id);
    }
    return ids;
  }
}
