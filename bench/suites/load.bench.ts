/**
 * A bounded loopback load test: an emulator and a secured gateway in this process, driven by mixed
 * queries, mutations and SSE subscriptions for `durationMs`. It reports throughput, latency, errors
 * and heap growth. Run: `tsx packages/api/bench/load.bench.ts [--smoke]` prints the
 * figures; `pnpm bench` (the one place that writes bench/results) and its smoke test call `runLoadBench`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashToken } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import { startStack } from '@aws-trpc/testkit';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

export interface LoadFigure {
  suite: 'load';
  name: string;
  value: number;
  unit: string;
}

export interface LoadBenchResult {
  method: string;
  durationMs: number;
  requests: number;
  unexpectedErrors: string[];
  subscriptionEvents: number;
  heapGrowthMb: number;
  figures: LoadFigure[];
}

export interface LoadBenchOptions {
  /** Seconds instead of minutes, for CI. */
  smoke?: boolean;
  /** Default: 5 s with smoke, 3 min without. */
  durationMs?: number;
  /** Concurrent request loops. */
  workers?: number;
  subscribers?: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
    : Number.NaN;

/** Reads an SSE subscription until aborted, counting its data events (Node 20 has no EventSource). */
async function sseSubscriber(
  url: string,
  token: string,
  signal: AbortSignal,
  onEvent: () => void,
): Promise<void> {
  const input = encodeURIComponent(JSON.stringify(transformer.serialize({ snapshot: true })));
  try {
    const res = await fetch(`${url}/ec2.onInstanceStateChange?input=${input}`, {
      signal,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      buffered += decoder.decode(chunk.value, { stream: true });
      const events = buffered.split('\n\n');
      buffered = events.pop() ?? '';
      for (const e of events) if (/^data: (?!\{\}$)/m.test(e) && !e.includes('event: connected')) onEvent();
    }
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

export async function runLoadBench(options: LoadBenchOptions = {}): Promise<LoadBenchResult> {
  const durationMs = options.durationMs ?? (options.smoke ? 5_000 : 180_000);
  const workers = options.workers ?? 8;
  const subscribers = options.subscribers ?? (options.smoke ? 5 : 50);
  const token = `atrpc_${randomBytes(32).toString('base64url')}`;
  // Real time, with transitions of a quarter second, so subscribers see instances move during the run.
  const stack = await startStack({
    clock: 'real',
    delays: { pending: 250, stopping: 250, shuttingDown: 250 },
    auth: {
      tokens: [
        {
          name: 'load',
          sha256: hashToken(token),
          allow: ['*'],
          limits: { requestsPerSecond: 1e6, burst: 1e6, maxSubscriptions: subscribers + 5 },
        },
      ],
    },
    security: { auditFile: join(mkdtempSync(join(tmpdir(), 'aws-trpc-load-')), 'audit.jsonl') },
  });
  const { url } = stack;
  const client = createTRPCClient<any>({
    links: [
      httpBatchLink({
        url,
        transformer,
        maxItems: 20,
        methodOverride: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }),
    ],
  }) as any;

  const imageId: string = (await client.ec2.describeImages.query({ Owners: ['amazon'] })).Images[0].ImageId;
  const stop = new AbortController();
  let events = 0;
  const streams = Array.from({ length: subscribers }, () =>
    sseSubscriber(url, token, stop.signal, () => events++),
  );

  const latencies: Record<'query' | 'mutation', number[]> = { query: [], mutation: [] };
  const unexpected: string[] = [];
  let requests = 0;
  const timed = async (kind: 'query' | 'mutation', call: () => Promise<unknown>) => {
    const t0 = performance.now();
    try {
      await call();
    } catch (e) {
      if (unexpected.length < 20)
        unexpected.push(e instanceof TRPCClientError ? `${e.data?.code}: ${e.message}` : String(e));
    }
    requests++;
    if (latencies[kind].length < 200_000) latencies[kind].push(performance.now() - t0);
  };

  // Each worker owns its instances, so its mutations never race another's.
  async function worker(n: number, deadline: number) {
    const mine: string[] = [];
    for (let i = 0; performance.now() < deadline; i++) {
      const r = i % 10;
      if (r < 6) {
        await timed('query', () =>
          [
            () =>
              client.ec2.describeInstances.query({ Filters: [{ Name: 'tag:worker', Values: [String(n)] }] }),
            () => client.ec2.describeVpcs.query({}),
            () => client.ec2.describeSecurityGroups.query({}),
            () => client.elb.describeLoadBalancers.query({}),
          ][i % 4]!(),
        );
      } else if (r < 8 || mine.length === 0) {
        await timed('mutation', async () => {
          const out = await client.ec2.runInstances.mutate({
            ImageId: imageId,
            MinCount: 1,
            MaxCount: 1,
            TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'worker', Value: String(n) }] }],
          });
          mine.push(out.Instances[0].InstanceId);
        });
      } else if (r === 8) {
        await timed('mutation', () =>
          client.ec2.createTags.mutate({
            Resources: [mine[mine.length - 1]],
            Tags: [{ Key: 'seen', Value: String(i) }],
          }),
        );
      } else {
        const id = mine.shift()!;
        await timed('mutation', () => client.ec2.terminateInstances.mutate({ InstanceIds: [id] }));
      }
    }
  }

  const heap = () => process.memoryUsage().heapUsed / 2 ** 20;
  const started = performance.now();
  const deadline = started + durationMs;
  const warm = started + durationMs * 0.2;
  let heapWarm = 0;
  const heapProbe = setInterval(() => {
    if (!heapWarm && performance.now() >= warm) heapWarm = heap();
  }, 50);
  await Promise.all(Array.from({ length: workers }, (_, n) => worker(n, deadline)));
  clearInterval(heapProbe);
  const elapsed = performance.now() - started;
  (globalThis as { gc?: () => void }).gc?.();
  const heapEnd = heap();
  stop.abort();
  await Promise.allSettled(streams);
  await stack.close();

  const q = [...latencies.query].sort((a, b) => a - b);
  const m = [...latencies.mutation].sort((a, b) => a - b);
  const heapGrowthMb = heapEnd - (heapWarm || heapEnd);
  const f = (name: string, value: number, unit: string): LoadFigure => ({
    suite: 'load',
    name,
    value: Math.round(value * 1000) / 1000,
    unit,
  });
  return {
    method:
      `${workers} request loops (60% queries, 40% mutations: run, tag, terminate) through a token-authenticated, ` +
      `audited gateway over loopback, ${subscribers} SSE subscribers on ec2.onInstanceStateChange, emulator on a ` +
      'real clock, transitions of 250 ms; heap growth measured from 20% of the run to its end.',
    durationMs: elapsed,
    requests,
    unexpectedErrors: unexpected,
    subscriptionEvents: events,
    heapGrowthMb,
    figures: [
      f('requests', requests, 'count'),
      f('throughput', (requests / elapsed) * 1000, 'req/s'),
      f('query p50', quantile(q, 0.5), 'ms'),
      f('query p99', quantile(q, 0.99), 'ms'),
      f('mutation p50', quantile(m, 0.5), 'ms'),
      f('mutation p99', quantile(m, 0.99), 'ms'),
      f('unexpected errors', unexpected.length, 'count'),
      f('subscription events', events, 'count'),
      f('heap growth', heapGrowthMb, 'MB'),
    ],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const smoke = process.argv.includes('--smoke');
  const result = await runLoadBench({ smoke });
  console.log(JSON.stringify(result.figures, null, 2));
}
