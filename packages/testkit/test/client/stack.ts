import type { VirtualScheduler } from '@aws-trpc/api';
import type { Emulator } from '@aws-trpc/emulator';
import { type Stack as KitStack, startStack as startKitStack } from '../../src/index';

export interface Stack extends KitStack {
  emu: Emulator;
  /** Moves the emulator's clock and fires the gateway's poll and waiter timers on the way. */
  scheduler: VirtualScheduler;
}

/** Matches the emulator's default pending/stopping/shutting-down delays, and then some. */
export const TRANSITION_MS = 10_000;

/** The testkit's stack on a virtual clock, with the streams' short test intervals. */
export async function startStack(): Promise<Stack> {
  const stack = await startKitStack({ streams: { fastIntervalMs: 1_000, slowIntervalMs: 10_000 } });
  return Object.assign(stack, { emu: stack.emulator!, scheduler: stack.clock! });
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
