import type { InstanceStateEvent } from '@aws-trpc/shared';
import { TRPCError, type TrackedEnvelope, tracked } from '@trpc/server';
import { z } from 'zod';
import { requireCredentials } from '../core/credentials';
import { gatewayProcedure } from '../guard/procedure';
import { parseCursor } from '../source/cursor';
import { UnsupportedFilterError } from '../source/instance-filter';
import { streamsOf } from '../source/registry';
import type { SourceEntry, SourceView } from '../source/state-source';
import { EventQueue } from './event-queue';
import { selectFor } from './subscriber-filter';

const stateNames = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] as const;

// Strict, like the operation inputs: a misspelled `InstanceIds` is a BAD_REQUEST, not a silently wider stream.
export const instanceStateInput = z
  .strictObject({
    /** Defaults to the call's region; when given it must be that region (authorization is per call region). */
    region: z.string().optional(),
    instanceIds: z.array(z.string().min(1)).max(1000).optional(),
    /** EC2 DescribeInstances filter syntax, evaluated by the gateway on the shared snapshot. */
    filters: z
      .array(z.strictObject({ Name: z.string().min(1), Values: z.array(z.string()).max(200) }))
      .max(50)
      .optional(),
    states: z.array(z.enum(stateNames)).optional(),
    snapshot: z.boolean().default(true),
    /** Set by tRPC's SSE link on reconnect (the last tracked id); a caller may set it to resume. */
    lastEventId: z.string().max(200).nullish(),
  })
  // No input at all means every instance, with the snapshot first (the defaults above).
  .prefault({});

export type InstanceStateInput = z.input<typeof instanceStateInput>;

/** An undelivered-event backlog past this means the subscriber is too slow: it gets a resync instead. */
const maxBacklog = 10_000;

type Item = { kind: 'entry'; entry: SourceEntry } | { kind: 'read' };

/**
 * `ec2.onInstanceStateChange`: live instance states from the shared source of (region, credentials).
 * Every event is `tracked` with a cursor, so tRPC's reconnect (lastEventId) resumes with no loss and no
 * duplicate; a cursor older than the buffer gets a `resync`.
 */
export const onInstanceStateChange = gatewayProcedure
  .meta({ service: 'ec2', operation: 'DescribeInstances', kind: 'subscription' })
  .input(instanceStateInput)
  .subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<TrackedEnvelope<InstanceStateEvent> | InstanceStateEvent, void, unknown> {
    const region = input.region ?? ctx.region;
    if (region !== ctx.region) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `input.region '${region}' differs from the call's region '${ctx.region}'; set the region in connectionParams or x-aws-region`,
      });
    }
    let select: ReturnType<typeof selectFor>;
    try {
      select = selectFor(input);
    } catch (error) {
      if (error instanceof UnsupportedFilterError)
        throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
      throw error;
    }
    const abort = signal ?? new AbortController().signal;
    await requireCredentials(ctx.deps.aws, 'ec2', region, 'DescribeInstances');
    const registry = streamsOf(ctx.deps);
    const source = await registry.instanceStates(region, ctx.deps.aws.ec2(region));
    const queue = new EventQueue<Item>(maxBacklog);
    /** The sequence number of the last event handled; undefined until the first fresh view. */
    let lastSeq: number | undefined;
    const unlisten = source.listen({
      // Following given ids keeps the source at its slow interval while only other instances move.
      ...(input.instanceIds?.length ? { watches: new Set(input.instanceIds) } : {}),
      onEntry: (entry) => queue.push({ kind: 'entry', entry }),
      // Wakes the generator for its opening view; after that, reads without changes are not news.
      onRead: () => {
        if (lastSeq === undefined) queue.push({ kind: 'read' });
      },
    });
    /** Builds the opening events for a fresh view: a replay after the cursor, a resync, or a snapshot. */
    const opening = (view: SourceView, resumeFrom: string | undefined, afterOverflow: boolean) => {
      if (resumeFrom !== undefined && !afterOverflow) {
        // since() and current() are read in the same tick, so the replay ends exactly at view.seq.
        const replay = source.since(resumeFrom);
        if (replay) return replay.filter(select.entry).map((e) => tracked(e.id, e.event));
      }
      if (resumeFrom === undefined && !afterOverflow) {
        if (!input.snapshot) return [];
        const snapshot: InstanceStateEvent = {
          type: 'snapshot',
          observedAt: new Date(view.observedAt).toISOString(),
          instances: select.snapshot(view.instances),
        };
        return [tracked(view.cursor, snapshot)];
      }
      const sameEpoch = parseCursor(resumeFrom)?.epoch === source.epoch;
      const resync: InstanceStateEvent = {
        type: 'resync',
        reason: afterOverflow || sameEpoch ? 'cursor-expired' : 'source-restarted',
        observedAt: new Date(view.observedAt).toISOString(),
        instances: select.snapshot(view.instances),
      };
      return [tracked(view.cursor, resync)];
    };
    // A cursor another replica handed out may predate this one's memory: fetch what followed it.
    if (input.lastEventId) await source.prepareResume?.(input.lastEventId);
    try {
      let resumeFrom = input.lastEventId ?? undefined;
      let afterOverflow = false;
      while (!abort.aborted) {
        const view = lastSeq === undefined ? source.current() : undefined;
        if (view) {
          for (const event of opening(view, resumeFrom, afterOverflow)) yield event;
          lastSeq = view.seq;
          resumeFrom = undefined;
          afterOverflow = false;
        }
        const items = await queue.take(abort);
        if (queue.overflowed) {
          queue.overflowed = false;
          lastSeq = undefined;
          afterOverflow = true;
          continue;
        }
        for (const item of items) {
          if (item.kind !== 'entry') continue;
          const e = item.entry;
          if (lastSeq === undefined) {
            // Before the first fresh view only health news is worth telling. Untracked, so that a
            // reconnect made before any view still opens with a snapshot.
            if (e.event.type === 'status') yield e.event;
            continue;
          }
          // This replica's own word on its link to the shared log: not in the log, so not tracked.
          if (e.local) {
            yield e.event;
            continue;
          }
          if (e.seq <= lastSeq) continue;
          lastSeq = e.seq;
          if (select.entry(e)) yield tracked(e.id, e.event);
        }
      }
    } finally {
      unlisten();
    }
  });
