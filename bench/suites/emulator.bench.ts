import { cpus } from 'node:os';
import { Readable } from 'node:stream';
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type Emulator, startEmulator } from '@aws-trpc/emulator';

/**
 * The emulator benchmark (issue 3): DescribeInstances over 1,000 and 10,000 instances (the full paged
 * listing, one page, a tag filter, and by id) and RunInstances of 100 at a time, through the
 * unmodified SDK over loopback; DescribeNetworkInterfaces over the instances' interfaces (issue 15),
 * server-side. Not a test: the `pnpm bench` runner calls `runEmulatorBench`.
 */
export interface BenchResult {
  name: string;
  /** Instances in the emulator for the measured call. */
  n: number;
  iterations: number;
  median_ms: number;
  p99_ms: number;
  mean_ms: number;
  /** The goal from the issue, when it sets one. */
  goal_median_ms?: number;
  method: string;
  machine: string;
}

const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, node ${process.version}`;

const round = (x: number) => Math.round(x * 1000) / 1000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(
  name: string,
  n: number,
  iterations: number,
  fn: () => Promise<unknown>,
  extra: { goal?: number; method: string },
): Promise<BenchResult> {
  for (let i = 0; i < Math.min(3, iterations); i++) await fn(); // warm up the JIT and keep-alive sockets
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    name,
    n,
    iterations,
    median_ms: round(quantile(sorted, 0.5)),
    p99_ms: round(quantile(sorted, 0.99)),
    mean_ms: round(times.reduce((a, b) => a + b, 0) / times.length),
    goal_median_ms: extra.goal,
    method: extra.method,
    machine,
  };
}

/** All pages, the way AWS pages DescribeInstances (MaxResults 1000). */
async function describeAll(ec2: EC2Client, input: DescribeInstancesCommandInput = {}): Promise<number> {
  let token: string | undefined;
  let count = 0;
  for (let page = 0; page < 1_000; page++) {
    const out = await ec2.send(
      new DescribeInstancesCommand({ ...input, MaxResults: 1000, NextToken: token }),
    );
    for (const r of out.Reservations ?? []) count += r.Instances?.length ?? 0;
    token = out.NextToken;
    if (!token) break;
  }
  return count;
}

/** One EC2 call over plain fetch (DescribeInstances by default); the emulator reads the region from the signing scope. */
async function rawPage(
  url: string,
  form = 'Action=DescribeInstances&Version=2016-11-15&MaxResults=1000',
): Promise<number> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: form,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${form} answered ${res.status}: ${text.slice(0, 200)}`);
  return text.length;
}

/**
 * The SDK's own share: the same EC2 client parsing a captured page, with no network and no emulator
 * (its request handler answers the captured bytes). What no emulator speed-up can go below.
 */
function sdkOnlyClient(page: Buffer): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          reason: 'OK',
          headers: { 'content-type': 'text/xml;charset=UTF-8', 'content-length': String(page.length) },
          body: Readable.from([page]),
        },
      }),
    },
  });
}

async function capturePage(url: string): Promise<Buffer> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: 'Action=DescribeInstances&Version=2016-11-15&MaxResults=1000',
  });
  return Buffer.from(await res.arrayBuffer());
}

/** The id of one network interface (the middle of the first page), read from the raw XML. */
async function someInterfaceId(url: string): Promise<string> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: 'Action=DescribeNetworkInterfaces&Version=2016-11-15&MaxResults=1000',
  });
  const ids = [
    ...(await res.text()).matchAll(/<networkInterfaceId>(eni-[0-9a-f]+)<\/networkInterfaceId>/g),
  ].map((m) => m[1]!);
  if (!ids.length) throw new Error('DescribeNetworkInterfaces listed no interface');
  return ids[Math.floor(ids.length / 2)]!;
}

async function launch(ec2: EC2Client, count: number, batch: number, offset: number): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0453ec754f44f9a4a',
        InstanceType: 't3.micro',
        MinCount: n,
        MaxCount: n,
        // A default subnet is a /20 (4,091 addresses): spread 10,000 instances over the three zones.
        Placement: { AvailabilityZone: `us-east-1${'abc'[((offset + done) / batch) % 3]}` },
        // One instance in ten (and its network interface) carries team=blue, so the tag filter selects 10%.
        TagSpecifications: ['instance' as const, 'network-interface' as const].map((ResourceType) => ({
          ResourceType,
          Tags: [{ Key: 'team', Value: ((offset + done) / batch) % 10 === 0 ? 'blue' : 'red' }],
        })),
      }),
    );
    for (const i of out.Instances ?? []) ids.push(i.InstanceId!);
  }
  return ids;
}

/** A raw EC2 Query POST (no SDK parsing): what the emulator itself costs for an action. */
async function rawCall(url: string, body: string): Promise<string> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  return res.text();
}

/** Every page of a Describe action over raw HTTP; answers how many pages it took. */
async function rawAllPages(url: string, body: string): Promise<number> {
  let token: string | undefined;
  let pages = 0;
  do {
    const xml = await rawCall(url, token ? `${body}&NextToken=${encodeURIComponent(token)}` : body);
    token = /<nextToken>([^<]+)<\/nextToken>/.exec(xml)?.[1];
    pages++;
  } while (token && pages < 1_000);
  return pages;
}

/**
 * The network-family rows (issue 15): DescribeRouteTables over 1,000 route tables, server-side
 * (raw HTTP, no SDK parsing), with the goals of DescribeInstances: all (paged by 100, AWS's maximum
 * for this action) 50 ms, a 10 % tag filter 20 ms, by id 2 ms.
 * DescribeNetworkInterfaces over 1,000 interfaces belongs here too, once the network-interfaces
 * family exists: TODO(network-interfaces) add its rows beside these, with the same goals.
 */
export async function networkRows(smoke: boolean): Promise<BenchResult[]> {
  const n = smoke ? 50 : 1_000;
  const iters = (full: number) => (smoke ? 2 : full);
  const method = 'fetch of a form-encoded request on 127.0.0.1 (no SDK parsing), virtual clock';
  const emu = await startEmulator({ clock: 'virtual' });
  try {
    const vpc = /<vpcId>([^<]+)<\/vpcId>/.exec(
      await rawCall(emu.url, 'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16'),
    )![1]!;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const team = i % 10 === 0 ? 'blue' : 'red';
      const xml = await rawCall(
        emu.url,
        `Action=CreateRouteTable&Version=2016-11-15&VpcId=${vpc}&TagSpecification.1.ResourceType=route-table` +
          `&TagSpecification.1.Tag.1.Key=team&TagSpecification.1.Tag.1.Value=${team}`,
      );
      ids.push(/<routeTableId>([^<]+)<\/routeTableId>/.exec(xml)![1]!);
    }
    const one = ids[Math.floor(ids.length / 2)]!;
    return [
      await measure(
        'ec2.DescribeRouteTables all (paged by 100), raw HTTP',
        n,
        iters(30),
        () => rawAllPages(emu.url, 'Action=DescribeRouteTables&Version=2016-11-15&MaxResults=100'),
        { goal: smoke ? undefined : 50, method },
      ),
      await measure(
        'ec2.DescribeRouteTables tag:team=blue (10%), raw HTTP',
        n,
        iters(30),
        () =>
          rawAllPages(
            emu.url,
            'Action=DescribeRouteTables&Version=2016-11-15&MaxResults=100&Filter.1.Name=tag%3Ateam&Filter.1.Value.1=blue',
          ),
        { goal: smoke ? undefined : 20, method },
      ),
      await measure(
        'ec2.DescribeRouteTables by id, raw HTTP',
        n,
        iters(300),
        () => rawCall(emu.url, `Action=DescribeRouteTables&Version=2016-11-15&RouteTableId.1=${one}`),
        { goal: smoke ? undefined : 2, method },
      ),
    ];
  } finally {
    await emu.close();
  }
}

export async function runEmulatorBench({ smoke }: { smoke: boolean }): Promise<BenchResult[]> {
  const sizes = smoke ? [20, 50] : [1_000, 10_000];
  const batch = smoke ? 10 : 100;
  const iters = (full: number) => (smoke ? 2 : full);
  const method = 'unmodified @aws-sdk/client-ec2 → emulator on 127.0.0.1, sequential calls, virtual clock';
  const results: BenchResult[] = [];
  const emu: Emulator = await startEmulator({ clock: 'virtual' });
  const ec2 = new EC2Client({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  try {
    let ids: string[] = [];
    let offset = 0;
    for (const size of sizes) {
      const more = size - ids.length;
      if (ids.length === 0) {
        // The first fill doubles as the RunInstances benchmark: one call per batch of 100.
        const times: number[] = [];
        for (let done = 0; done < more; done += batch) {
          const t0 = performance.now();
          ids.push(...(await launch(ec2, batch, batch, offset)));
          times.push(performance.now() - t0);
          offset += batch;
        }
        const sorted = [...times].sort((a, b) => a - b);
        results.push({
          name: `ec2.RunInstances ×${batch}`,
          n: batch,
          iterations: times.length,
          median_ms: round(quantile(sorted, 0.5)),
          p99_ms: round(quantile(sorted, 0.99)),
          mean_ms: round(times.reduce((a, b) => a + b, 0) / times.length),
          method,
          machine,
        });
      } else {
        ids = ids.concat(await launch(ec2, more, batch, offset));
        offset += more;
      }
      emu.clock.advance(60_000); // all running
      const one = ids[Math.floor(ids.length / 2)]!;
      const big = size >= 10_000 || (smoke && size === sizes[1]);
      results.push(
        await measure(
          `ec2.DescribeInstances all (paged by 1000)`,
          size,
          iters(big ? 10 : 30),
          () => describeAll(ec2),
          {
            goal: smoke || big ? undefined : 50,
            method,
          },
        ),
      );
      // The same first page without the SDK: what the emulator itself costs (handler + XML writing).
      results.push(
        await measure(
          `ec2.DescribeInstances one page, raw HTTP (no SDK parsing)`,
          size,
          iters(big ? 10 : 30),
          () => rawPage(emu.url),
          {
            method: 'fetch of a form-encoded DescribeInstances (MaxResults=1000) on 127.0.0.1',
          },
        ),
      );
      const sdkOnly = sdkOnlyClient(await capturePage(emu.url));
      results.push(
        await measure(
          `ec2.DescribeInstances one page, SDK parsing only (no emulator)`,
          size,
          iters(big ? 10 : 30),
          () => sdkOnly.send(new DescribeInstancesCommand({ MaxResults: 1000 })),
          { method: 'the EC2 client parsing a captured MaxResults=1000 page from a canned request handler' },
        ),
      );
      sdkOnly.destroy();
      results.push(
        await measure(
          `ec2.DescribeInstances one page (MaxResults 1000)`,
          size,
          iters(big ? 10 : 30),
          () => ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 })),
          { method },
        ),
      );
      results.push(
        await measure(
          `ec2.DescribeInstances tag:team=blue (10%)`,
          size,
          iters(30),
          () => describeAll(ec2, { Filters: [{ Name: 'tag:team', Values: ['blue'] }] }),
          { goal: smoke || big ? undefined : 20, method },
        ),
      );
      results.push(
        await measure(
          `ec2.DescribeInstances by id`,
          size,
          iters(300),
          () => ec2.send(new DescribeInstancesCommand({ InstanceIds: [one] })),
          { goal: smoke ? undefined : 2, method },
        ),
      );
      // Every instance has its primary network interface: as many interfaces as instances, measured
      // server-side (the raw form, no SDK parsing) with DescribeInstances' goals.
      const eni = await someInterfaceId(emu.url);
      const rawMethod = 'fetch of a form-encoded request on 127.0.0.1 (no SDK parsing)';
      const eniCalls: [string, string, number, number | undefined][] = [
        ['one page (MaxResults 1000)', 'MaxResults=1000', big ? 10 : 30, 50],
        ['tag:team=blue (10%)', 'Filter.1.Name=tag%3Ateam&Filter.1.Value.1=blue', 30, 20],
        ['by id', `NetworkInterfaceId.1=${eni}`, 300, 2],
      ];
      for (const [label, params, n, goal] of eniCalls)
        results.push(
          await measure(
            `ec2.DescribeNetworkInterfaces ${label}, raw HTTP`,
            size,
            iters(n),
            () => rawPage(emu.url, `Action=DescribeNetworkInterfaces&Version=2016-11-15&${params}`),
            { goal: smoke || big ? undefined : goal, method: rawMethod },
          ),
        );
    }
  } finally {
    ec2.destroy();
    await emu.close();
  }
  results.push(...(await networkRows(smoke)));
  return results;
}
