import { type Emulator, type EmulatorOptions, startEmulator } from '@aws-trpc/emulator';
import { createClient, type GatewayClient } from '../../../client/src/create-client';
import { emulatorCredentials } from '../../src/config';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway';

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
  const gateway = createGateway({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
    ...options.gateway,
  });
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
