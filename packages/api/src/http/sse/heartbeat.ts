import type { Scheduler } from '../../time/scheduler';

/** A connection as the heartbeat sees it: whether it wrote since the last tick, and how to ping it. */
export interface HeartbeatMember {
  wroteSinceTick: boolean;
  /** Writes a ping frame (which sets `wroteSinceTick`). */
  ping(): void;
}

/**
 * One timer for every open SSE connection, instead of one per connection per event (tRPC's `withPing`
 * starts a timer and a promise race for each event of each connection). It ticks every `intervalMs / 2`
 * and pings the connections that wrote nothing since the previous tick, so no connection stays silent
 * for longer than `intervalMs`: proxies keep the stream open, and the client's inactivity timer never
 * fires on a healthy stream. It runs only while a connection is open.
 */
export class Heartbeat {
  private readonly members = new Set<HeartbeatMember>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    readonly intervalMs: number,
  ) {}

  /** Returns the function that removes the member. */
  add(member: HeartbeatMember): () => void {
    this.members.add(member);
    if (!this.cancel && this.intervalMs > 0 && Number.isFinite(this.intervalMs)) this.schedule();
    return () => {
      this.members.delete(member);
      if (this.members.size === 0) {
        this.cancel?.();
        this.cancel = undefined;
      }
    };
  }

  private schedule(): void {
    this.cancel = this.scheduler.schedule(() => this.tick(), this.intervalMs / 2);
  }

  private tick(): void {
    this.cancel = undefined;
    for (const m of this.members) {
      // A ping counts as a write: an idle connection is pinged every other tick, once per interval.
      if (m.wroteSinceTick) m.wroteSinceTick = false;
      else m.ping();
    }
    if (this.members.size > 0) this.schedule();
  }
}
