import { expect, it } from 'vitest';
import { runLoadBench } from '../suites/load.bench';

it('load bench (smoke): mixed queries, mutations and subscriptions with no unexpected error', async () => {
  const r = await runLoadBench({ smoke: true, durationMs: 3_000, workers: 4, subscribers: 3 });
  expect(r.unexpectedErrors).toEqual([]);
  expect(r.requests).toBeGreaterThan(20);
  expect(r.subscriptionEvents).toBeGreaterThan(0);
  expect(r.figures.map((f) => f.name)).toContain('query p99');
  // Bounded: a few seconds cannot prove flatness, but a leak per request would show here already.
  expect(r.heapGrowthMb).toBeLessThan(100);
}, 60_000);
