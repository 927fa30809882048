import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';
import { AL2023, clientsFor, eventBridgePolicy } from './helpers/events-setup';

/**
 * The one real-clock test: transitions are timers, so a consumer long-polling SQS hears of `running`
 * right after it happens, with nobody reading the instance. Waits are bounded (WaitTimeSeconds 5).
 */
let emu: Emulator;
let c: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  emu = await startEmulator({ clock: 'real', delays: { pending: 300 } });
  c = clientsFor(emu.url);
});
afterAll(async () => {
  for (const client of Object.values(c)) client.destroy();
  await emu.close();
});

it('a long-polling ReceiveMessage gets the running event within a second of the transition', async () => {
  const url = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'live' }))).QueueUrl!;
  const arn = 'arn:aws:sqs:us-east-1:123456789012:live';
  await c.sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: eventBridgePolicy(arn) } }),
  );
  await c.events.send(
    new PutRuleCommand({ Name: 'ec2', EventPattern: JSON.stringify({ source: ['aws.ec2'] }) }),
  );
  await c.events.send(new PutTargetsCommand({ Rule: 'ec2', Targets: [{ Id: 'q', Arn: arn }] }));

  const before = Date.now();
  const ran = await c.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));
  const launched = Date.now();
  const poll = async () => {
    const r = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
    );
    return (r.Messages ?? []).map((m) => JSON.parse(m.Body!).detail.state as string);
  };
  expect(await poll()).toEqual(['pending']);
  const running = await poll();
  const received = Date.now();
  expect(running).toEqual(['running']);
  expect(ran.Instances?.[0]?.State?.Name).toBe('pending');
  // The transition happened between before + 300 ms and launched + 300 ms.
  expect(received - before).toBeGreaterThanOrEqual(300);
  expect(received - (launched + 300)).toBeLessThan(1_000);
});
