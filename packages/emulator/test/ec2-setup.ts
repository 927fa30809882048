import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll } from 'vitest';
import { type Delays, type Emulator, startEmulator } from '../src/index';

/** An emulator on a virtual clock and an unmodified EC2 client pointed at it, for one test file. */
export function useEc2(delays?: Partial<Delays>) {
  const ctx = {} as { emu: Emulator; ec2: EC2Client };
  beforeAll(async () => {
    ctx.emu = await startEmulator({ clock: 'virtual', delays });
    ctx.ec2 = new EC2Client({
      endpoint: ctx.emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    ctx.ec2?.destroy();
    await ctx.emu?.close();
  });
  return ctx;
}

/** The AWS error a call fails with: its code, message and HTTP status. */
export async function awsError(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const AL2023 = 'ami-0453ec754f44f9a4a';
