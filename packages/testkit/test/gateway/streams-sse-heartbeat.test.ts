import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import { transformer } from '@aws-trpc/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { isData, isPing, openSse, type SseReader } from '../../src/sse-reader';
import { type StreamsHarness, startStreamsHarness } from './streams-harness';

/**
 * Heartbeats on the virtual clock: the gateway pings a quiet SSE stream so proxies keep it open and the
 * client's inactivity timer (reconnectAfterInactivityMs, 40 s) never fires on a healthy stream. The
 * interval is 15 s (trpc.ts); one timer ticks every 7.5 s for all connections and pings those that
 * wrote nothing since the previous tick.
 */
let h: StreamsHarness | undefined;
let reader: SseReader | undefined;

afterEach(async () => {
  reader?.close();
  await h?.close();
  h = reader = undefined;
});

const url = (base: string, input: unknown) =>
  `${base}/ec2.onInstanceStateChange?input=${encodeURIComponent(JSON.stringify(transformer.serialize(input)))}`;

describe('SSE heartbeats', () => {
  it('pings a quiet stream within the interval, and not a stream that just wrote', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    await h.scheduler.advance(6_000); // running, before anyone subscribes
    reader = openSse(url(h.url, { instanceIds: [id] }));
    await reader.until(isData); // the snapshot

    await h.scheduler.advance(7_500); // first tick: the stream wrote since it opened, so no ping
    await h.scheduler.advance(7_500); // second tick: quiet for a whole tick, so a ping
    await reader.until(isPing);

    // A change written after the ping is a sync point: everything written before it has arrived.
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.scheduler.advance(5_000); // the 20 s poll sees stopping; the next tick is at 22.5 s
    const frames = await reader.until(isData, 2);
    expect(frames.filter(isPing)).toHaveLength(1);
    expect(frames.map((f) => f.event ?? 'data')).toEqual(['connected', 'data', 'ping', 'data']);
  });

  it('keeps an idle stream within the interval: one ping per 15 s, however long it idles', async () => {
    h = await startStreamsHarness();
    const id = await h.run();
    await h.scheduler.advance(6_000);
    reader = openSse(url(h.url, { instanceIds: [id] }));
    await reader.until(isData);
    for (let minute = 1; minute <= 3; minute++) {
      await h.scheduler.advance(60_000);
      await reader.until(isPing, minute * 4);
    }
    // Sync point again: exactly 12 pings were written in 180 s, one per 15 s.
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.scheduler.advance(10_000);
    expect((await reader.until(isData, 2)).filter(isPing)).toHaveLength(12);
  });
});
