/**
 * Batching (issue 8): 20 describeInstances-by-id queries in one HTTP batch (the default client, calls
 * made in the same tick) against the same 20 as sequential calls with batching off (one HTTP request
 * each, tRPC's httpLink).
 */
import type { AppRouter } from '@aws-trpc/api';
import { createClient } from '@aws-trpc/client';
import { transformer } from '@aws-trpc/shared';
import { createTRPCClient, httpLink } from '@trpc/client';
import { startBenchServers } from '../src/bench-servers';
import { type Figure, figure, type GoalResult } from '../src/figure';
import { sequentialLatency } from '../src/stats';

const suite = 'batching';
const region = 'us-east-1';
const calls = 20;

export async function runBatchingBench({ smoke }: { smoke: boolean }): Promise<{
  method: string;
  figures: Figure[];
  goals: GoalResult[];
}> {
  const rounds = smoke ? 3 : 100;
  const servers = await startBenchServers({ [region]: calls });
  try {
    const ids = servers.ids[region]!;
    const batched = createClient({ url: servers.gateway, region });
    const separate = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: servers.gateway,
          transformer,
          methodOverride: 'POST',
          headers: { 'x-aws-region': region },
        }),
      ],
    });
    const oneBatch = () =>
      Promise.all(ids.map((id) => batched.ec2.describeInstances.query({ InstanceIds: [id] })));
    const oneByOne = async () => {
      for (const id of ids) await separate.ec2.describeInstances.query({ InstanceIds: [id] });
    };
    // Both must have described all 20; a batch that silently dropped calls would look fast.
    const found = (await oneBatch()).filter((out) => out.Reservations?.[0]?.Instances?.length === 1).length;
    if (found !== calls) throw new Error(`batching: ${found} of ${calls} batched calls found their instance`);
    const inBatch = await sequentialLatency(oneBatch, rounds, Math.min(10, rounds));
    const apart = await sequentialLatency(oneByOne, rounds, Math.min(10, rounds));
    const figures: Figure[] = [
      figure(suite, `${calls} queries in one batch p50`, inBatch.p50, 'ms'),
      figure(suite, `${calls} queries in one batch p99`, inBatch.p99, 'ms'),
      figure(suite, `${calls} separate calls (batching off) p50`, apart.p50, 'ms'),
      figure(suite, `${calls} separate calls (batching off) p99`, apart.p99, 'ms'),
      figure(suite, 'separate / batch, p50', apart.p50 / inBatch.p50, 'x'),
    ];
    return {
      method:
        `${rounds} rounds after warm-up, each ${calls} describeInstances({ InstanceIds: [id] }) through the ` +
        'gateway to the emulator (each in its own process); batch = default client, one HTTP request; ' +
        'separate = httpLink, 20 sequential HTTP requests.',
      figures,
      goals: [],
    };
  } finally {
    await servers.close();
  }
}
