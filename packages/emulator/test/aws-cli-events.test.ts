import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';
import { aws as awsAt, haveAws, warnIfNoAws } from './helpers/aws-cli';
import { AL2023 } from './helpers/events-setup';

/**
 * The AWS CLI v2.9 speaks AWS Query to SQS (form POST, Version=2012-11-05, XML answers) and JSON 1.1
 * to EventBridge: the whole chain through it, from queue to received event.
 */
warnIfNoAws('aws-cli-events.test.ts');

let emu: Emulator;
const aws = (...args: string[]) => awsAt(emu.url, ...args);

describe.skipIf(!haveAws)('the AWS CLI: SQS and EventBridge', () => {
  beforeAll(async () => {
    emu = await startEmulator({ clock: 'virtual', delays: { pending: 5_000 } });
  });
  afterAll(() => emu?.close());

  it('create-queue, put-rule, put-targets, run-instances, receive-message shows the event', {
    timeout: 180_000,
  }, async () => {
    const { QueueUrl } = await aws('sqs', 'create-queue', '--queue-name', 'cli-events');
    expect(QueueUrl).toBe(`${emu.url}/123456789012/cli-events`);
    // Each CLI call costs a Python start-up; the query form's attribute maps are read below.
    const queueArn = 'arn:aws:sqs:us-east-1:123456789012:cli-events';

    const { RuleArn } = await aws(
      'events',
      'put-rule',
      '--name',
      'cli-ec2',
      '--event-pattern',
      JSON.stringify({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }),
    );
    expect(RuleArn).toBe('arn:aws:events:us-east-1:123456789012:rule/cli-ec2');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } },
        },
      ],
    });
    await aws(
      'sqs',
      'set-queue-attributes',
      '--queue-url',
      QueueUrl,
      '--attributes',
      JSON.stringify({ Policy: policy }),
    );
    const targets = await aws(
      'events',
      'put-targets',
      '--rule',
      'cli-ec2',
      '--targets',
      `Id=queue,Arn=${queueArn}`,
    );
    expect(targets.FailedEntryCount).toBe(0);

    const ran = await aws('ec2', 'run-instances', '--image-id', AL2023, '--instance-type', 't3.micro');
    const instanceId: string = ran.Instances[0].InstanceId;
    emu.clock.advance(5_000);

    const received = await aws(
      'sqs',
      'receive-message',
      '--queue-url',
      QueueUrl,
      '--max-number-of-messages',
      '10',
      '--attribute-names',
      'All',
    );
    const events = received.Messages.map((m: { Body: string }) => JSON.parse(m.Body));
    expect(events.map((e: any) => [e['detail-type'], e.detail])).toEqual([
      ['EC2 Instance State-change Notification', { 'instance-id': instanceId, state: 'pending' }],
      ['EC2 Instance State-change Notification', { 'instance-id': instanceId, state: 'running' }],
    ]);
    expect(received.Messages[0].Attributes.ApproximateReceiveCount).toBe('1');

    const missing = await aws('sqs', 'get-queue-url', '--queue-name', 'nope').catch((e: Error) => e.message);
    expect(missing).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });
});
