import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchEventSource } from '../../src/fetch-event-source';
import { collect, type StreamsHarness, startStreamsHarness } from './streams-harness';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    gc();
    min = Math.min(min, process.memoryUsage().heapUsed);
  }
  return min;
}

let h: StreamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('subscribe/unsubscribe cycles', () => {
  it('leave no listeners, timers, connections or heap behind after 1,000 cycles', async () => {
    h = await startStreamsHarness();
    await h.run();
    const batch = 25;
    const cycle = async (n: number) => {
      for (let done = 0; done < n; done += batch) {
        const subs = Array.from({ length: batch }, (_, i) => {
          const received = collect<unknown>();
          const sub = h!.client.ec2.onInstanceStateChange.subscribe(i % 2 ? {} : { states: ['running'] }, {
            onData: (v) => received.push(v),
          });
          return { received, sub };
        });
        await Promise.all(subs.map((s) => s.received.until(1)));
        for (const s of subs) s.sub.unsubscribe();
        await vi.waitUntil(() => h!.streams.stats().listeners === 0 && FetchEventSource.open === 0, {
          timeout: 10_000,
        });
      }
    };

    await cycle(400); // warm-up: JIT, sockets, lazy validators, pools
    const timersBefore = h.scheduler.pending;
    const requestListeners = h.gateway.http.server.listenerCount('request');
    await cycle(300);
    const heapMid = heapAfterGc();
    await cycle(300);
    const heapEnd = heapAfterGc();

    expect(h.streams.stats()).toMatchObject({ sources: 1, listeners: 0, bufferedEntries: 0 });
    expect(h.scheduler.pending).toBeLessThanOrEqual(Math.max(1, timersBefore)); // at most the linger timer
    expect(h.gateway.http.server.listenerCount('request')).toBe(requestListeners);
    // The last 300 cycles may not grow the heap by more than ~3 KB each; a leaked subscriber (queue,
    // listener, generator, SSE response) costs far more. Measured: ~0.5 KB per cycle of allocator noise.
    expect(heapEnd - heapMid).toBeLessThan(1_000_000);
    // One upstream read per batch (the source restarts after everyone left), never one per subscriber.
    expect(h.describes()).toBeLessThanOrEqual(1_000 / batch);
  }, 120_000);

  it('tears a source down completely once its linger is over', async () => {
    h = await startStreamsHarness({ lingerMs: 30_000 });
    const s = collect<unknown>();
    const sub = h.client.ec2.onInstanceStateChange.subscribe({}, { onData: (v) => s.push(v) });
    await s.until(1);
    sub.unsubscribe();
    await vi.waitUntil(() => h!.streams.stats().listeners === 0);
    expect(h.streams.stats().sources).toBe(1);
    await h.scheduler.advance(30_000);
    expect(h.streams.stats()).toMatchObject({ sources: 0, listeners: 0, bufferedEntries: 0 });
    expect(h.scheduler.pending).toBe(0);
  });
});
