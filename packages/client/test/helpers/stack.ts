import { createGateway, type VirtualScheduler, virtualScheduler } from '@aws-trpc/api';
import { type Emulator, startEmulator } from '@aws-trpc/emulator';
import { type AwsResources, createClient, type GatewayClient, resources } from '../../src/index';

export interface Stack {
  emu: Emulator;
  /** Moves the emulator's clock and fires the gateway's poll and waiter timers on the way. */
  scheduler: VirtualScheduler;
  /** The gateway's tRPC URL. */
  url: string;
  client: GatewayClient;
  ec2: AwsResources['ec2'];
  elb: AwsResources['elb'];
  close(): Promise<void>;
}

/** Matches the emulator's default pending/stopping/shutting-down delays, and then some. */
export const TRANSITION_MS = 10_000;

/**
 * The real pieces on loopback: emulator ← gateway (HTTP + SSE) ← client. The emulator's virtual clock
 * also drives the gateway's polls and waiter delays, so tests move time instead of sleeping.
 */
export async function startStack(): Promise<Stack> {
  const emu = await startEmulator({ clock: 'virtual' });
  const scheduler = virtualScheduler(emu.clock);
  const gateway = createGateway({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator-secret' },
    streams: { scheduler, fastIntervalMs: 1_000, slowIntervalMs: 10_000 },
  });
  const { url } = await gateway.listen(0, '127.0.0.1');
  // The client's default EventSource: the runtime's own, else the `eventsource` package (Node.js 20).
  const client = createClient({ url });
  const { ec2, elb } = resources(client);
  return {
    emu,
    scheduler,
    url,
    client,
    ec2,
    elb,
    async close() {
      await gateway.close(0);
      await emu.close();
    },
  };
}

/** The first seeded public Amazon Linux AMI of the emulator, found through the Image collection. */
export async function someImageId(stack: Pick<Stack, 'ec2'>): Promise<string> {
  const [image] = await stack.ec2.images
    .filter({ Filters: [{ Name: 'name', Values: ['al2023-*'] }] })
    .limit(1)
    .all();
  if (!image) throw new Error('the emulator has no seeded Amazon Linux image');
  return image.id;
}
