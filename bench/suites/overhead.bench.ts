/**
 * Call overhead (issue 8): the same calls on three paths in one run, against servers in processes of
 * their own (bench-server-process.ts):
 * - gateway: @aws-trpc/client → gateway → emulator;
 * - sdk: @aws-sdk/client-ec2 → emulator;
 * - bare: fetch → a node:http server answering a fixed small JSON (the floor: one loopback hop with
 *   the HTTP stack the tRPC client uses).
 * Plus the transformer and the input validator on their own, in this process.
 */
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { AppRouter } from '@aws-trpc/api';
import { createClient } from '@aws-trpc/client';
import { inputValidator, transformer } from '@aws-trpc/shared';
import { createTRPCClient, httpLink } from '@trpc/client';
import { benchCredentials, benchImageId, startBenchServers } from '../src/bench-servers';
import { type Figure, figure, type GoalResult } from '../src/figure';
import { type LatencySummary, microBench, sequentialLatency, throughput } from '../src/stats';

const suite = 'overhead';
/** Regions keep the sizes apart: describe sees only its own seed, and run/terminate never grows them. */
const small = 'us-east-1';
const large = 'us-west-2';
const churn = 'eu-west-1';

export interface OverheadResult {
  method: string;
  figures: Figure[];
  goals: GoalResult[];
}

export async function runOverheadBench({ smoke }: { smoke: boolean }): Promise<OverheadResult> {
  const sizes = { small: 10, large: smoke ? 20 : 500 };
  const iterations = { small: smoke ? 5 : 300, large: smoke ? 3 : 40, churn: smoke ? 3 : 100 };
  const totalCalls = smoke ? 16 : 1_000;
  const concurrencies = [1, 16, 64];
  const figures: Figure[] = [];
  const add = (name: string, value: number, unit: string) => figures.push(figure(suite, name, value, unit));
  const addLatency = (name: string, s: LatencySummary) => {
    add(`${name} p50`, s.p50, 'ms');
    add(`${name} p99`, s.p99, 'ms');
  };

  const servers = await startBenchServers({ [small]: sizes.small, [large]: sizes.large });
  const sdk = (region: string) =>
    new EC2Client({ endpoint: servers.emulator, region, credentials: benchCredentials });
  const sdkClients = { small: sdk(small), large: sdk(large), churn: sdk(churn) };
  const gw = (region: string) => createClient({ url: servers.gateway, region });
  const gwClients = { small: gw(small), large: gw(large), churn: gw(churn) };
  // The same client with `batch: false`: no wait for tRPC's batch timer, one request per call.
  const gwOne = (region: string) => createClient({ url: servers.gateway, region, batch: false });
  const gwUnbatched = { small: gwOne(small), large: gwOne(large) };
  // Batching off: one HTTP request per call, as the SDK makes (the fair throughput comparison).
  const unbatched = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: servers.gateway,
        transformer,
        methodOverride: 'POST',
        headers: { 'x-aws-region': small },
      }),
    ],
  });
  const bare = async () => {
    const res = await fetch(servers.bare, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"0":{"j":{}}}',
    });
    return res.json();
  };

  try {
    // Sequential latency.
    const bareLatency = await sequentialLatency(bare, iterations.small, 20);
    addLatency('bare hop', bareLatency);
    const latency: Record<string, LatencySummary> = {};
    for (const size of ['small', 'large'] as const) {
      const n = sizes[size];
      latency[`sdk ${size}`] = await sequentialLatency(
        () => sdkClients[size].send(new DescribeInstancesCommand({})),
        iterations[size],
        Math.min(20, iterations[size]),
      );
      latency[`gateway ${size}`] = await sequentialLatency(
        () => gwClients[size].ec2.describeInstances.query({}),
        iterations[size],
        Math.min(20, iterations[size]),
      );
      latency[`gateway unbatched ${size}`] = await sequentialLatency(
        () => gwUnbatched[size].ec2.describeInstances.query({}),
        iterations[size],
        Math.min(20, iterations[size]),
      );
      addLatency(`describeInstances n=${n} sdk`, latency[`sdk ${size}`]!);
      addLatency(`describeInstances n=${n} gateway`, latency[`gateway ${size}`]!);
      addLatency(`describeInstances n=${n} gateway (batch: false)`, latency[`gateway unbatched ${size}`]!);
    }
    const runInput = { ImageId: benchImageId, InstanceType: 't3.micro' as const, MinCount: 1, MaxCount: 1 };
    const sdkChurn = await sequentialLatency(
      async () => {
        const out = await sdkClients.churn.send(new RunInstancesCommand(runInput));
        const ids = (out.Instances ?? []).map((i) => i.InstanceId!);
        await sdkClients.churn.send(new TerminateInstancesCommand({ InstanceIds: ids }));
      },
      iterations.churn,
      3,
    );
    const gwChurn = await sequentialLatency(
      async () => {
        const out = await gwClients.churn.ec2.runInstances.mutate(runInput);
        const ids = (out.Instances ?? []).map((i) => i.InstanceId!);
        await gwClients.churn.ec2.terminateInstances.mutate({ InstanceIds: ids });
      },
      iterations.churn,
      3,
    );
    addLatency('runInstances+terminateInstances sdk', sdkChurn);
    addLatency('runInstances+terminateInstances gateway', gwChurn);

    // Throughput (describeInstances n=10), closed loop at each concurrency.
    const tput: Record<string, number> = {};
    const paths: [string, () => Promise<unknown>][] = [
      ['bare hop', bare],
      [
        `describeInstances n=${sizes.small} sdk`,
        () => sdkClients.small.send(new DescribeInstancesCommand({})),
      ],
      [
        `describeInstances n=${sizes.small} gateway (batching off)`,
        () => unbatched.ec2.describeInstances.query({}),
      ],
      [
        `describeInstances n=${sizes.small} gateway (default client, batching on)`,
        () => gwClients.small.ec2.describeInstances.query({}),
      ],
    ];
    for (const c of concurrencies) {
      for (const [path, call] of paths) {
        tput[`${path} c=${c}`] = await throughput(call, c, totalCalls);
        add(`throughput ${path} c=${c}`, tput[`${path} c=${c}`]!, 'req/s');
      }
    }

    // The transformer alone: the gateway's serialize + JSON, then the client's JSON + deserialize.
    const big: DescribeInstancesCommandOutput = await sdkClients.large.send(new DescribeInstancesCommand({}));
    const { $metadata: _, ...output } = big;
    const roundTrip = () =>
      transformer.deserialize(JSON.parse(JSON.stringify(transformer.serialize(output))));
    const jsonOnly = () => JSON.parse(JSON.stringify(output));
    const batches = smoke ? 3 : 30;
    const perBatch = smoke ? 2 : 20;
    add(
      `transformer round trip, describeInstances output n=${sizes.large}`,
      microBench(roundTrip, batches, perBatch),
      'µs',
    );
    add(
      `plain JSON round trip (no transformer), n=${sizes.large}`,
      microBench(jsonOnly, batches, perBatch),
      'µs',
    );

    // The validator alone, on typical inputs (compiled on first use, so the first call is excluded).
    const describe = inputValidator('ec2', 'describeInstances');
    const describeInput = {
      Filters: [
        { Name: 'instance-state-name', Values: ['running', 'pending'] },
        { Name: 'tag:team', Values: ['blue'] },
      ],
      MaxResults: 100,
    };
    const run = inputValidator('ec2', 'runInstances');
    const runTypical = {
      ...runInput,
      SecurityGroupIds: ['sg-0123456789abcdef0'],
      SubnetId: 'subnet-0123456789abcdef0',
      TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'team', Value: 'blue' }] }],
    };
    add(
      'validation describeInstances (2 filters)',
      microBench(() => describe.parse(describeInput), batches, 500),
      'µs',
    );
    add(
      'validation runInstances (typical)',
      microBench(() => run.parse(runTypical), batches, 500),
      'µs',
    );

    // The goals, as ratios of this run. The gateway's own cost is measured with `batch: false`: the default
    // client also waits one timer tick for tRPC's batch link to gather calls, which is the link's, not the
    // gateway's (reported beside it).
    const addedOf = (path: string, size: 'small' | 'large') =>
      latency[`${path} ${size}`]!.p50 - latency[`sdk ${size}`]!.p50;
    const added = addedOf('gateway unbatched', 'small');
    add(`gateway added p50, describeInstances n=${sizes.small} (batch: false)`, added, 'ms');
    add(
      `gateway added p50, describeInstances n=${sizes.large} (batch: false)`,
      addedOf('gateway unbatched', 'large'),
      'ms',
    );
    add(
      `gateway added p50, describeInstances n=${sizes.small} (default client)`,
      addedOf('gateway', 'small'),
      'ms',
    );
    add(
      `gateway added p50, describeInstances n=${sizes.large} (default client)`,
      addedOf('gateway', 'large'),
      'ms',
    );
    const ratio = added / bareLatency.p50;
    const at16 = (path: string) => tput[`describeInstances n=${sizes.small} ${path} c=16`]!;
    const share = (at16('gateway (batching off)') / at16('sdk')) * 100;
    const shareBatched = (at16('gateway (default client, batching on)') / at16('sdk')) * 100;
    add('gateway added p50 / bare hop p50', ratio, 'x');
    add('gateway throughput c=16 (batching off) / sdk', share, '%');
    add('gateway throughput c=16 (default client) / sdk', shareBatched, '%');
    const goals: GoalResult[] = [
      {
        goal: `gateway added p50 (describeInstances n=${sizes.small}, batch: false) vs bare hop`,
        measured: ratio,
        bound: '≤ 1.5',
        unit: 'x',
        pass: ratio <= 1.5,
      },
      {
        goal: 'gateway throughput at c=16 vs direct SDK (batching off)',
        measured: share,
        bound: '≥ 70',
        unit: '%',
        pass: share >= 70,
      },
    ];
    return {
      method:
        'three processes on 127.0.0.1: upstream (emulator on a virtual clock + a bare node:http server), ' +
        `a gateway in front of the emulator, and the callers. SDK path: caller → emulator. Sequential: ${iterations.small} calls (n=${sizes.small}), ` +
        `${iterations.large} (n=${sizes.large}), ${iterations.churn} run+terminate pairs, after warm-up; ` +
        `throughput: ${totalCalls} calls in a closed loop per concurrency. Added p50 = gateway p50 − SDK p50.`,
      figures,
      goals,
    };
  } finally {
    for (const client of Object.values(sdkClients)) client.destroy();
    await servers.close();
  }
}
