import { EC2Client, RunInstancesCommand, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { type Emulator, startEmulator } from '@aws-trpc/emulator';
import { transformer } from '@aws-trpc/shared';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { emulatorCredentials } from '../src/config';
import type { GatewayDeps } from '../src/deps';
import { createGateway, type GatewayOptions } from '../src/gateway';
import { createObservability } from '../src/observability/observability';
import type { AppRouter } from '../src/router';
import { createSecurity } from '../src/security/security';
import type { GatewayServer } from '../src/server';
import type { StreamRegistry, StreamRegistryOptions } from '../src/streams/registry';
import { type VirtualScheduler, virtualScheduler } from '../src/streams/scheduler';
import { FetchEventSource } from './streams-event-source';

/** The gateway's own router: the catalog's operations plus the stream and waiter procedures. */
export type StreamsRouter = AppRouter;

export const ami = 'ami-0453ec754f44f9a4a';

export interface StreamsHarness {
  emu: Emulator;
  scheduler: VirtualScheduler;
  streams: StreamRegistry;
  /** The gateway's long-lived pieces, to serve them from a second server (streams-sse-conformance). */
  deps: GatewayDeps;
  server: GatewayServer;
  url: string;
  client: ReturnType<typeof clientFor>;
  /** The SDK straight at the emulator, to act on instances. */
  ec2: EC2Client;
  describes(): number;
  run(input?: Partial<RunInstancesCommandInput>): Promise<string>;
  close(): Promise<void>;
}

function clientFor(url: string) {
  return createTRPCClient<StreamsRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer,
          EventSource: FetchEventSource as unknown as typeof EventSource,
        }),
        false: httpBatchLink({ url, transformer, methodOverride: 'POST' }),
      }),
    ],
  });
}

/**
 * A virtual-clock emulator, a real HTTP gateway serving the streams router, and a real tRPC client.
 * The fan-out benchmark's gateway process is one too (bench/fanout.bench.ts).
 */
export async function startStreamsHarness(
  options: StreamRegistryOptions = {},
  gatewayOptions: Pick<GatewayOptions, 'sse'> = {},
): Promise<StreamsHarness> {
  const emu = await startEmulator({ clock: 'virtual' });
  const scheduler = virtualScheduler(emu.clock);
  // Anonymous, as a gateway without an auth file, but with room for the 100 and 1,000-subscriber cases.
  const observability = createObservability({ level: 'silent' });
  const security = createSecurity(
    { maxSubscriptions: 100_000, rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 } },
    observability.logger,
  );
  const gateway = createGateway(
    {
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: emulatorCredentials,
      maxAttempts: 1,
      streams: { scheduler, fastIntervalMs: 1_000, slowIntervalMs: 10_000, ...options },
      ...gatewayOptions,
    },
    { security, observability },
  );
  const streams = gateway.deps.streams!;
  const server = gateway.http;
  const { url } = await gateway.listen(0, '127.0.0.1');
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
  });
  return {
    emu,
    scheduler,
    streams,
    deps: gateway.deps,
    server,
    url,
    client: clientFor(url),
    ec2,
    describes: () => emu.control.requests.count({ service: 'ec2', action: 'DescribeInstances' }),
    async run(input = {}) {
      const out = await ec2.send(
        new RunInstancesCommand({
          ImageId: ami,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.micro',
          ...input,
        }),
      );
      return out.Instances![0]!.InstanceId!;
    },
    async close() {
      await gateway.close(500);
      ec2.destroy();
      await emu.close();
    },
  };
}

/**
 * Collects a subscription's events and lets a test await "the next n events" without sleeping: each
 * waiter resolves when the event that completes it arrives.
 */
export function collect<T>() {
  const events: T[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    events,
    push(event: T) {
      events.push(event);
      for (const w of [...waiters]) {
        if (events.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    /** Resolves once `n` events in total have arrived. */
    until(n: number): Promise<T[]> {
      if (events.length >= n) return Promise.resolve(events.slice());
      return new Promise((resolve) => waiters.push({ n, resolve: () => resolve(events.slice()) }));
    },
  };
}
