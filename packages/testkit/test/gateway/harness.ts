import type { GatewayOptions } from '@aws-trpc/api';
import type { GatewayClient } from '@aws-trpc/client';
import type { Emulator } from '@aws-trpc/emulator';
import { type Stack, startStack } from '../../src/index';

export interface Harness {
  emu: Emulator;
  gateway: Stack['gateway'];
  /** The gateway's tRPC URL. */
  url: string;
  /** `http://127.0.0.1:port`. */
  origin: string;
  client: GatewayClient;
  close(): Promise<void>;
}

/**
 * The stack for tests of the gateway core: SDK retries off (injected faults surface at once, with no
 * backoff waits) and the rate limit lifted (these tests are not about it).
 */
export async function startHarness(
  options: { gateway?: Omit<GatewayOptions, 'streams'>; region?: string } = {},
): Promise<Harness> {
  const { region, ...gateway } = options.gateway ?? {};
  const stack = await startStack({
    ...(region ? { region } : {}),
    gateway: { maxAttempts: 1, ...gateway },
    security: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    client: options.region ? { region: options.region } : {},
  });
  return {
    emu: stack.emulator!,
    gateway: stack.gateway,
    url: stack.url,
    origin: stack.origin,
    client: stack.client,
    close: () => stack.close(),
  };
}
