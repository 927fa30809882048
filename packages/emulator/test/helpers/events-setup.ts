import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { type Delays, type Emulator, startEmulator } from '../../src/index';

/** An emulator on a virtual clock and unmodified SQS, EventBridge and EC2 clients, for one test file. */
export function useEventsEmulator(delays?: Partial<Delays>) {
  const ctx = {} as { emu: Emulator; sqs: SQSClient; events: EventBridgeClient; ec2: EC2Client };
  beforeAll(async () => {
    ctx.emu = await startEmulator({ clock: 'virtual', delays });
    Object.assign(ctx, clientsFor(ctx.emu.url));
  });
  afterAll(async () => {
    for (const c of [ctx.sqs, ctx.events, ctx.ec2]) c?.destroy();
    await ctx.emu?.close();
  });
  return ctx;
}

export function clientsFor(url: string, maxAttempts = 1) {
  const config = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
  };
  return { sqs: new SQSClient(config), events: new EventBridgeClient(config), ec2: new EC2Client(config) };
}

/**
 * Resolves once `n` ReceiveMessage calls wait in a long poll, so a test can move the virtual clock or
 * send knowing the poll is parked. Bounded: fails after 5 s of real time.
 */
export async function untilWaiting(emu: Emulator, n = 1): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (emu.control.sqs.waiting() < n) {
    if (Date.now() > deadline) throw new Error(`no ${n} long poll(s) parked within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The queue policy EventBridge needs: events.amazonaws.com may SendMessage, optionally from one rule only. */
export function eventBridgePolicy(queueArn: string, ruleArn?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'events',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        ...(ruleArn ? { Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } } : {}),
      },
    ],
  });
}

export const AL2023 = 'ami-0453ec754f44f9a4a';
