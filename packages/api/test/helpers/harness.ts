import { type Emulator, type EmulatorOptions, startEmulator } from '@aws-trpc/emulator';
import { createClient, type GatewayClient } from '../../../client/src/create-client';
import { emulatorCredentials } from '../../src/config';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway';
import { createObservability } from '../../src/observability/observability';
import { createSecurity } from '../../src/security/security';

export interface Harness {
  emu: Emulator;
  gateway: Gateway;
  /** The gateway's tRPC URL. */
  url: string;
  /** `http://127.0.0.1:port`. */
  origin: string;
  client: GatewayClient;
  close(): Promise<void>;
}

/**
 * A real emulator on 127.0.0.1, a real HTTP gateway pointed at it, and the real typed client.
 * SDK retries are off by default so that injected faults surface at once (no backoff waits).
 */
export async function startHarness(
  options: { emulator?: EmulatorOptions; gateway?: GatewayOptions; region?: string } = {},
): Promise<Harness> {
  const emu = await startEmulator({ clock: 'virtual', ...options.emulator });
  // These tests are about the gateway core, not its rate limit: a fast machine must not hit it.
  const observability = createObservability({ level: 'silent' });
  const security = createSecurity(
    { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    observability.logger,
  );
  const gateway = createGateway(
    {
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: emulatorCredentials,
      maxAttempts: 1,
      ...options.gateway,
    },
    { security, observability },
  );
  const { url, origin } = await gateway.listen(0, '127.0.0.1');
  const client = createClient({ url, ...(options.region ? { region: options.region } : {}) });
  return {
    emu,
    gateway,
    url,
    origin,
    client,
    async close() {
      await gateway.close(1_000);
      await emu.close();
    },
  };
}
