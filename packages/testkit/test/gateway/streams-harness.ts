import { RunInstancesCommand, type RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import type {
  AppRouter,
  Gateway,
  GatewayOptions,
  StreamRegistry,
  StreamRegistryOptions,
  VirtualScheduler,
} from '@aws-trpc/api';
import type { Emulator } from '@aws-trpc/emulator';
import { transformer } from '@aws-trpc/shared';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { FetchEventSource, type Stack, startStack } from '../../src/index';

/** The gateway's own router: the catalog's operations plus the stream and waiter procedures. */
export type StreamsRouter = AppRouter;

export const ami = 'ami-0453ec754f44f9a4a';

export interface StreamsHarness {
  stack: Stack;
  emu: Emulator;
  scheduler: VirtualScheduler;
  streams: StreamRegistry;
  gateway: Gateway;
  url: string;
  /** A raw tRPC client of the router (the streams tests read tRPC's own events). */
  client: ReturnType<typeof clientFor>;
  /** The SDK straight at the emulator, to act on instances. */
  ec2: Stack['sdk']['ec2'];
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
 * The stack on a virtual clock with short poll intervals, anonymous but with room for the 100 and
 * 1,000-subscriber cases, and a raw tRPC client. The fan-out benchmark's gateway process is one too.
 */
export async function startStreamsHarness(
  options: Omit<StreamRegistryOptions, 'scheduler'> = {},
  gatewayOptions: Pick<GatewayOptions, 'sse'> = {},
): Promise<StreamsHarness> {
  const stack = await startStack({
    gateway: { maxAttempts: 1, ...gatewayOptions },
    security: { maxSubscriptions: 100_000, rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 } },
    streams: { fastIntervalMs: 1_000, slowIntervalMs: 10_000, ...options },
  });
  const emu = stack.emulator!;
  const ec2 = stack.sdk.ec2;
  return {
    stack,
    emu,
    scheduler: stack.clock!,
    streams: stack.gateway.deps.streams!,
    gateway: stack.gateway,
    url: stack.url,
    client: clientFor(stack.url),
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
    close: () => stack.close(),
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
