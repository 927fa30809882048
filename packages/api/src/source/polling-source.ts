import {
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  type EC2Client,
  type Instance,
  type InstanceStatus,
} from '@aws-sdk/client-ec2';
import type { InstanceChangeEvent, StreamStatusEvent } from '@aws-trpc/shared';
import type { Scheduler } from '../time/scheduler';
import { formatCursor, newEpoch, parseCursor } from './cursor';
import { diffInstances } from './diff-instances';
import { type TrackedInstance, trackInstances, transitionalStates } from './instance-record';
import { RingBuffer } from './ring-buffer';
import type { SourceEntry, SourceListener, SourceView, StateSource } from './state-source';
import { errorSummary } from './upstream-error';

export interface PollingOptions {
  /** Interval while any instance is pending, stopping or shutting-down. */
  fastIntervalMs: number;
  /** Interval at rest. */
  slowIntervalMs: number;
  /** Ring buffer capacity (events kept for resume). */
  bufferSize: number;
  /** Largest backoff after upstream errors. */
  maxBackoffMs: number;
  /** How long the buffer and view outlive the last listener, so a lone client can still resume. */
  lingerMs: number;
  /** Told when the poller's state changes (the gateway feeds its `aws_trpc_poller_state` metric). */
  onState?: (region: string, state: PollerState) => void;
}

/** polling: listeners and reads succeed; degraded: upstream errors, backing off; idle: nobody listens. */
export type PollerState = 'polling' | 'degraded' | 'idle';

/** Describe pages are bounded so a misbehaving endpoint cannot loop us forever. */
const maxPages = 1_000;

/** Reads page after page while `read` returns a next token, at most maxPages. */
async function everyPage(read: (token: string | undefined) => Promise<string | undefined>): Promise<void> {
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    token = await read(token);
    if (!token) return;
  }
}

/**
 * A StateSource that polls DescribeInstances (all pages), diffs, buffers and fans out. One per
 * (region, credential identity); see registry.ts. While a listener needs status checks, each read also
 * makes one DescribeInstanceStatus (all pages) that all status waiters share; otherwise it makes none.
 */
export class PollingStateSource implements StateSource {
  readonly epoch: string;
  private readonly buffer: RingBuffer<SourceEntry>;
  private readonly listeners = new Set<SourceListener>();
  private instances = new Map<string, TrackedInstance>();
  private statuses: Map<string, InstanceStatus> | undefined;
  private statusError: unknown;
  private readonly statusListeners = new Set<SourceListener>();
  private observedAt = 0;
  /** A read completed since polling (re)started: the view is fresh. */
  private fresh = false;
  private hasBaseline = false;
  private inFlight: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private cancelLinger: (() => void) | undefined;
  private failures = 0;
  private disposed = false;
  private abort = new AbortController();
  private state: PollerState = 'idle';
  private region: string | undefined;
  /** Upstream DescribeInstances calls made (pages), for stats and the benchmark. */
  upstreamCalls = 0;
  /** Upstream DescribeInstanceStatus calls made (pages). */
  statusCalls = 0;

  constructor(
    private readonly client: EC2Client,
    private readonly scheduler: Scheduler,
    private readonly options: PollingOptions,
    private readonly onDispose: () => void,
  ) {
    this.epoch = newEpoch(scheduler.now());
    this.buffer = new RingBuffer(options.bufferSize);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get bufferedEntries(): number {
    return this.buffer.size;
  }

  current(): SourceView | undefined {
    if (!this.fresh) return undefined;
    return this.view();
  }

  since(cursor: string): SourceEntry[] | undefined {
    const c = parseCursor(cursor);
    if (!c || c.epoch !== this.epoch) return undefined;
    return this.buffer.since(c.seq)?.map((e) => e.item);
  }

  listen(listener: SourceListener): () => void {
    if (this.disposed) throw new Error('state source disposed');
    this.listeners.add(listener);
    this.cancelLinger?.();
    this.cancelLinger = undefined;
    if (this.listeners.size === 1 && !this.cancelTimer && !this.inFlight) void this.poll();
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
    return this.poll();
  }

  /** Stops for good: timers, the request in flight, the buffer. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelLinger?.();
    this.cancelTimer = this.cancelLinger = undefined;
    this.abort.abort();
    this.setState('idle');
    this.listeners.clear();
    this.statusListeners.clear();
    this.buffer.clear();
    this.instances.clear();
    this.dropStatuses();
    this.onDispose();
  }

  private view(): SourceView {
    const seq = this.buffer.head;
    return {
      cursor: formatCursor(this.epoch, seq),
      seq,
      observedAt: this.observedAt,
      instances: this.instances,
      ...(this.statuses ? { statuses: this.statuses } : {}),
      ...(this.statusError !== undefined ? { statusError: this.statusError } : {}),
    };
  }

  /**
   * The first status listener joined a source that is already reading without statuses: read once more
   * right after the read in flight, so it does not wait a slow interval (not after a failed read: the
   * schedule's backoff stands).
   */
  private async readStatusesSoon(): Promise<void> {
    await this.inFlight;
    const unread = !this.statuses && this.statusError === undefined;
    if (unread && this.statusListeners.size > 0 && this.listeners.size > 0 && this.failures === 0) {
      await this.poll();
    }
  }

  /**
   * The read's upstream calls are done: a poll asked for from now on (a listener reacting to this read, or
   * the next timer on a virtual clock) is a new read, not this one.
   */
  private settled(): void {
    this.inFlight = undefined;
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

  /** Nobody listens: stop polling now, keep the buffer for `lingerMs`, then dispose. */
  private idle(): void {
    this.setState('idle');
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.fresh = false;
    if (this.options.lingerMs <= 0) {
      this.dispose();
      return;
    }
    this.cancelLinger = this.scheduler.schedule(() => {
      if (this.listeners.size === 0) this.dispose();
    }, this.options.lingerMs);
  }

  private poll(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (!this.inFlight) {
      const reading: Promise<void> = this.read().finally(() => {
        if (this.inFlight === reading) this.inFlight = undefined;
      });
      this.inFlight = reading;
    }
    return this.inFlight;
  }

  private async read(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    let next: Map<string, TrackedInstance>;
    try {
      // The SDK resolves its region lazily; the metric is labelled with it.
      if (this.options.onState) this.region ??= await this.client.config.region();
      next = await this.readAllPages();
    } catch (error) {
      if (this.disposed) return;
      this.settled();
      this.failures++;
      const backoff = Math.min(
        this.options.maxBackoffMs,
        this.options.fastIntervalMs * 2 ** (this.failures - 1),
      );
      if (this.listeners.size > 0) this.setState('degraded');
      if (this.failures === 1) {
        const status: StreamStatusEvent = {
          type: 'status',
          status: 'degraded',
          observedAt: new Date(this.scheduler.now()).toISOString(),
          error: errorSummary(error),
          retryInMs: backoff,
        };
        this.append({ event: status });
      }
      this.scheduleNext(backoff);
      return;
    }
    if (this.disposed) return;
    // Read after DescribeInstances, so a status listener that joined during it is served by this read.
    let statuses: Map<string, InstanceStatus> | undefined;
    let statusError: unknown;
    if (this.statusListeners.size > 0) {
      try {
        statuses = await this.readAllStatuses();
      } catch (error) {
        statusError = error;
      }
      if (this.disposed) return;
    }
    this.settled();
    const observedAt = this.scheduler.now();
    if (this.failures > 0) {
      this.failures = 0;
      this.append({
        event: { type: 'status', status: 'recovered', observedAt: new Date(observedAt).toISOString() },
      });
    }
    if (this.hasBaseline) {
      for (const change of diffInstances(this.instances, next, observedAt)) this.append(change);
    }
    this.instances = next;
    // Listeners that needed statuses may have left during the read; then they are not kept.
    if (this.statusListeners.size > 0) {
      this.statuses = statuses;
      this.statusError = statusError;
    } else this.dropStatuses();
    this.observedAt = observedAt;
    this.hasBaseline = true;
    if (this.listeners.size > 0) {
      this.fresh = true;
      this.setState('polling');
    }
    const view = this.view();
    for (const l of [...this.listeners]) l.onRead?.(view);
    this.scheduleNext(this.busy() ? this.options.fastIntervalMs : this.options.slowIntervalMs);
  }

  private async readAllPages(): Promise<Map<string, TrackedInstance>> {
    const out = new Map<string, TrackedInstance>();
    await everyPage(async (NextToken) => {
      this.upstreamCalls++;
      const res = await this.client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken }), {
        abortSignal: this.abort.signal,
      });
      for (const [id, t] of trackInstances(res.Reservations)) out.set(id, t);
      return res.NextToken;
    });
    return out;
  }

  /** All status checks, in one paged DescribeInstanceStatus that includes instances not running. */
  private async readAllStatuses(): Promise<Map<string, InstanceStatus>> {
    const out = new Map<string, InstanceStatus>();
    await everyPage(async (NextToken) => {
      this.statusCalls++;
      const res = await this.client.send(
        new DescribeInstanceStatusCommand({ IncludeAllInstances: true, MaxResults: 1000, NextToken }),
        { abortSignal: this.abort.signal },
      );
      for (const st of res.InstanceStatuses ?? []) if (st.InstanceId) out.set(st.InstanceId, st);
      return res.NextToken;
    });
    return out;
  }

  /**
   * A followed instance is in a transitional state, or its status checks are still initializing (a
   * status waiter waits on them): then the next read comes at the fast interval.
   */
  private busy(): boolean {
    const followed = this.followed();
    const isFollowed = (id: string) => !followed || followed.has(id);
    for (const [id, t] of this.instances)
      if (transitionalStates.has(t.record.state) && isFollowed(id)) return true;
    for (const [id, st] of this.statuses ?? []) {
      const initializing =
        st.InstanceStatus?.Status === 'initializing' || st.SystemStatus?.Status === 'initializing';
      if (initializing && isFollowed(id)) return true;
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

  private scheduleNext(ms: number): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.disposed || this.listeners.size === 0) return;
    this.cancelTimer = this.scheduler.schedule(() => {
      this.cancelTimer = undefined;
      return this.poll();
    }, ms);
  }

  private append(e: {
    event: InstanceChangeEvent | StreamStatusEvent;
    before?: Instance;
    after?: Instance;
  }): void {
    const seq = this.buffer.head + 1;
    const entry: SourceEntry = { ...e, seq, id: formatCursor(this.epoch, seq) };
    this.buffer.push(entry);
    for (const l of [...this.listeners]) l.onEntry?.(entry);
  }
}
