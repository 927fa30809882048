import { pathToFileURL } from 'node:url';
import { createClient, type Instance, type LoadBalancer, resources } from '@aws-trpc/client';
import { advanceOnProgress, type ClockDriver } from './clock-driver';
import { parseWalkthroughArgs, walkthroughHelp } from './walkthrough-args';

export interface WalkthroughOptions {
  /** A running gateway's tRPC URL; without it the walkthrough starts its own emulator and gateway. */
  url?: string;
  /** Receives every printed line: the steps flush left, the live state stream in a column beside them. */
  log: (line: string) => void;
  /** Moves a virtual clock while the walkthrough waits (tests). */
  clockDriver?: ClockDriver;
  token?: string;
}

export interface WalkthroughResult {
  instanceIds: string[];
  /** What `tag:demo=<run>` found. */
  foundByTag: string[];
  loadBalancerName: string;
  dnsName: string | undefined;
  healthCheckTarget: string | undefined;
  /** DescribeInstanceHealth after the InService wait. */
  health: { instanceId: string; state: string }[];
  zonesAfterEnable: string[];
  zonesAfterDisable: string[];
  /** Each instance's state after the last wait. */
  finalStates: Record<string, string>;
  /** The live stream, as it came: `i-… pending → running`. */
  stream: string[];
}

const STREAM_COLUMN = 64;
/** Waiters read at most every 2 s here, so a 2 s clock step always reaches their next read. */
// No delays of our own: the gateway applies each waiter's minimum (AWS's, 15 s for ELB's InService).
const WAIT = { maxWaitSeconds: 600 } as const;
const STEP_MS = 2_000;

/**
 * The classic boto3 deck (EC2 + Classic ELB), step by step, with only @aws-trpc/client's resources:
 * run 2 instances, wait, tag and filter, create an ELB with a health check, register and wait for
 * InService, enable and disable a zone, deregister, stop all, terminate.
 */
export async function runWalkthrough(options: WalkthroughOptions): Promise<WalkthroughResult> {
  const { log, clockDriver } = options;
  const own = options.url ? undefined : await (await import('./stack')).startDemoStack();
  const url = options.url ?? own!.url;
  // The client picks an EventSource itself (Node.js 20 has none; it brings one).
  const client = createClient({ url, ...(options.token ? { token: options.token } : {}) });
  const { ec2, elb } = resources(client);
  const streams = new AbortController();
  const stream: string[] = [];
  const step = (n: number, text: string) => log(`\n[${n}] ${text}`);
  const say = (text: string) => log(`    ${text}`);
  const onProgress = advanceOnProgress(clockDriver, STEP_MS);
  // ELB's waiters wait AWS's minimum of 15 s (up to 30 s) between attempts: a virtual clock moves that far.
  const onLbProgress = advanceOnProgress(clockDriver, 30_000);
  const progress =
    (what: string, advance = onProgress) =>
    (e: { attempt: number; observed: Record<string, string> }) => {
      say(
        `… ${what}: attempt ${e.attempt}, ${
          Object.entries(e.observed)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || 'nothing yet'
        }`,
      );
      advance();
    };
  const run = Math.random().toString(36).slice(2, 8);
  let lb: LoadBalancer | undefined;
  let instances: Instance[] = [];
  try {
    step(1, 'Run instances: ec2.runInstances({ ImageId, InstanceType, MinCount: 2, MaxCount: 2 })');
    const [image] = await ec2.images
      .filter({
        Filters: [
          { Name: 'name', Values: ['al2023-ami-2023*'] },
          { Name: 'architecture', Values: ['x86_64'] },
        ],
      })
      .limit(1)
      .all();
    if (!image) throw new Error('no Amazon Linux 2023 image found (DescribeImages name=al2023-ami-2023*)');
    const reservation = await ec2.runInstances({
      ImageId: image.id,
      InstanceType: 't3.micro',
      MinCount: 2,
      MaxCount: 2,
    });
    instances = reservation.instances;
    say(`reservation ${reservation.id}: ${instances.map((i) => `${i.id} (${i.state?.Name})`).join(', ')}`);
    for (const instance of instances) void follow(instance, streams.signal, stream, log);

    step(2, 'Wait until running: instance.waitUntilRunning()');
    for (const instance of instances) {
      await instance.waitUntilRunning({ ...WAIT, onProgress: progress(instance.id) });
      say(`${instance.id} is ${instance.state?.Name}, ${instance.privateIpAddress ?? 'no private IP'}`);
    }

    step(3, "Tag them, then ec2.instances.filter({ Filters: [{ Name: 'tag:demo', Values: [run] }] })");
    await Promise.all(
      instances.map((i, n) =>
        i.createTags([
          { Key: 'Name', Value: `walkthrough-${n + 1}` },
          { Key: 'demo', Value: run },
        ]),
      ),
    );
    const foundByTag = await ec2.instances.filter({ Filters: [{ Name: 'tag:demo', Values: [run] }] }).ids();
    say(`tag:demo=${run} → ${foundByTag.join(', ')}`);

    const region = instances[0]?.placement?.AvailabilityZone?.replace(/[a-z]$/, '') ?? 'us-east-1';
    const [zoneA, zoneB, zoneC] = [`${region}a`, `${region}b`, `${region}c`];
    const name = `walkthrough-${run}`;
    step(
      4,
      `Create a Classic ELB "${name}" (HTTP 80 → 80) in ${zoneA} and ${zoneB}, and set its health check`,
    );
    lb = await elb.createLoadBalancer({
      LoadBalancerName: name,
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 }],
      AvailabilityZones: [zoneA, zoneB],
    });
    // Shorter than the deck's 10 s × 3, so the walkthrough sees InService in about 10 s.
    await lb.configureHealthCheck({
      Target: 'HTTP:80/health',
      Interval: 5,
      Timeout: 2,
      UnhealthyThreshold: 2,
      HealthyThreshold: 2,
    });
    await lb.load();
    const dnsName = lb.dnsName;
    const healthCheckTarget = lb.healthCheck?.Target;
    say(`DNS ${dnsName}; health check ${healthCheckTarget} every ${lb.healthCheck?.Interval}s`);

    step(5, 'Register the instances and watch them go InService');
    await lb.registerInstances(instances);
    await lb.waitUntilInService({ ...WAIT, onProgress: progress('health', onLbProgress) });
    const health = (await lb.instanceHealth()).map((h) => ({
      instanceId: h.InstanceId ?? '',
      state: h.State ?? '',
    }));
    say(health.map((h) => `${h.instanceId} ${h.state}`).join(', '));

    step(6, `Enable the zone ${zoneC}, then disable it`);
    await lb.enableAvailabilityZones([zoneC]);
    const zonesAfterEnable = (await lb.load()).availabilityZones ?? [];
    say(`zones: ${zonesAfterEnable.join(', ')}`);
    await lb.disableAvailabilityZones([zoneC]);
    const zonesAfterDisable = (await lb.load()).availabilityZones ?? [];
    say(`zones: ${zonesAfterDisable.join(', ')}`);

    step(7, 'Deregister, reservation.stopAll(), then reservation.terminateAll()');
    await lb.deregisterInstances(instances);
    say(`registered now: ${(await lb.load()).instances?.length ?? 0}`);
    await reservation.stopAll();
    for (const i of instances) await i.waitUntilStopped({ ...WAIT, onProgress: progress(i.id) });
    await reservation.terminateAll();
    for (const i of instances) await i.waitUntilTerminated({ ...WAIT, onProgress: progress(i.id) });
    const finalStates = Object.fromEntries(instances.map((i) => [i.id, i.state?.Name ?? 'unknown']));
    say(
      Object.entries(finalStates)
        .map(([id, s]) => `${id} ${s}`)
        .join(', '),
    );
    await lb.delete();
    say(`deleted ${name}`);
    lb = undefined;
    return {
      instanceIds: instances.map((i) => i.id),
      foundByTag,
      loadBalancerName: name,
      dnsName,
      healthCheckTarget,
      health,
      zonesAfterEnable,
      zonesAfterDisable,
      finalStates,
      stream,
    };
  } catch (error) {
    // Leave nothing billed behind on real AWS: best effort, the original error is what matters.
    say(`failed: ${error instanceof Error ? error.message : String(error)}; cleaning up`);
    await lb?.delete().catch(() => undefined);
    if (instances.length)
      await ec2.instances
        .filter({ InstanceIds: instances.map((i) => i.id) })
        .terminate()
        .catch(() => undefined);
    throw error;
  } finally {
    streams.abort();
    await own?.close();
  }
}

/** Prints an instance's live state changes in the right-hand column until `signal` aborts. */
async function follow(instance: Instance, signal: AbortSignal, into: string[], log: (line: string) => void) {
  try {
    for await (const e of instance.onStateChange({ signal, snapshot: false })) {
      if (e.type === 'status')
        log(`${' '.repeat(STREAM_COLUMN)}│ stream ${e.status}${e.error ? `: ${e.error.code}` : ''}`);
      if (e.type !== 'change') continue;
      const line = `${e.instanceId} ${e.previousState ?? '∅'} → ${e.state}`;
      into.push(line);
      log(`${' '.repeat(STREAM_COLUMN)}│ ${line}`);
    }
  } catch (error) {
    if (!signal.aborted) log(`${' '.repeat(STREAM_COLUMN)}│ stream ended: ${String(error)}`);
  }
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseWalkthroughArgs>;
  try {
    args = parseWalkthroughArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `walkthrough: ${error instanceof Error ? error.message : String(error)}\n\n${walkthroughHelp}`,
    );
    process.exit(2);
  }
  if (args === 'help') {
    process.stdout.write(walkthroughHelp);
    return;
  }
  await runWalkthrough({
    ...(args.url ? { url: args.url } : {}),
    ...(process.env.AWS_TRPC_TOKEN ? { token: process.env.AWS_TRPC_TOKEN } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write('\nDone.\n');
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `walkthrough failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
