/** Latency samples in milliseconds, summarised the way the table reports them. */
export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank quantile of sorted samples. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    mean: sum / sorted.length,
  };
}

export function median(samples: readonly number[]): number {
  return quantile(
    [...samples].sort((a, b) => a - b),
    0.5,
  );
}

/** Sequential latency of `call`, after `warmup` unmeasured calls (JIT, keep-alive sockets). */
export async function sequentialLatency(
  call: () => Promise<unknown>,
  iterations: number,
  warmup: number,
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

/**
 * Calls per second with `concurrency` callers in a closed loop, `total` calls in all (bounded by
 * count, not by time, so a slow path takes longer instead of measuring less).
 */
export async function throughput(
  call: () => Promise<unknown>,
  concurrency: number,
  total: number,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await call();
    }
  };
  // Warm up the sockets at this concurrency first.
  await Promise.all(Array.from({ length: concurrency }, () => call()));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (total / (performance.now() - t0)) * 1000;
}

/** Wall-clock cost of one synchronous operation, median over batches of `perBatch`, in microseconds. */
export function microBench(fn: () => unknown, batches: number, perBatch: number): number {
  for (let i = 0; i < perBatch; i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / perBatch);
  }
  return median(samples);
}
