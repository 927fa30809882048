import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { md5OfMessageAttributes } from '../src/services/sqs/message-md5';
import { awsError } from './ec2-setup';
import { untilWaiting, useEventsEmulator } from './helpers/events-setup';

/** SQS through the unmodified @aws-sdk/client-sqs (AWS JSON 1.0), on the virtual clock. */
const t = useEventsEmulator();

beforeEach(() => t.emu.control.reset());

async function queue(name = 'work', Attributes?: Record<string, string>): Promise<string> {
  return (await t.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function receive(
  QueueUrl: string,
  extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {},
) {
  return (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }))).Messages ?? [];
}

describe('queues', () => {
  it('creates a queue at a URL on the emulator, idempotently for the same attributes', async () => {
    const url = await queue('orders', { VisibilityTimeout: '45' });
    expect(url).toBe(`${t.emu.url}/123456789012/orders`);
    expect(await queue('orders', { VisibilityTimeout: '45' })).toBe(url);
    expect(await queue('orders')).toBe(url);
    expect(await awsError(queue('orders', { VisibilityTimeout: '46' }))).toEqual({
      code: 'QueueNameExists',
      message:
        'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
      status: 400,
    });
    // The SDK's class is QueueNameExists; the query code (x-amzn-query-error) is QueueAlreadyExists.
    const error = await queue('orders', { DelaySeconds: '5' }).catch((e) => e);
    expect([error.name, error.Code]).toEqual(['QueueNameExists', 'QueueAlreadyExists']);
    expect((await t.sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
  });

  it('answers QueueDoesNotExist with its query code in x-amzn-query-error', async () => {
    const error = await t.sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' })).catch((e) => e);
    expect(error.name).toBe('QueueDoesNotExist');
    expect(error.message).toBe('The specified queue does not exist.');
    expect(error.$metadata.httpStatusCode).toBe(400);
    // The SDK reads the code from the x-amzn-query-error header.
    expect(error.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(error.Type).toBe('Sender');
  });

  it('refuses bad names, unknown and out-of-range attributes, and FIFO queues', async () => {
    expect((await awsError(queue('bad name'))).code).toBe('InvalidParameterValue');
    expect(await awsError(queue('q', { Colour: 'blue' }))).toMatchObject({
      code: 'InvalidAttributeName',
      message: 'Unknown Attribute Colour.',
    });
    expect(await awsError(queue('q', { VisibilityTimeout: '43201' }))).toMatchObject({
      code: 'InvalidAttributeValue',
      message: 'Invalid value for the parameter VisibilityTimeout.',
    });
    expect((await awsError(queue('q.fifo', { FifoQueue: 'true' }))).code).toBe('UnsupportedOperation');
  });

  it('reads and sets attributes: All, named ones, counts, Policy', async () => {
    const url = await queue('attrs');
    const { Attributes } = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:123456789012:attrs',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      VisibilityTimeout: '30',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      CreatedTimestamp: String(t.emu.clock.now() / 1000),
    });
    expect(Attributes).not.toHaveProperty('Policy');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    await t.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: policy, VisibilityTimeout: '5' },
      }),
    );
    const named = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy', 'VisibilityTimeout'] }),
    );
    expect(named.Attributes).toEqual({ Policy: policy, VisibilityTimeout: '5' });
    expect(
      (
        await awsError(
          t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '{' } })),
        )
      ).code,
    ).toBe('InvalidAttributeValue');
    expect(
      (
        await awsError(
          t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Nope' as never] })),
        )
      ).code,
    ).toBe('InvalidAttributeName');
  });

  it('lists queues by prefix, with paging', async () => {
    for (const n of ['a-1', 'a-2', 'a-3', 'b-1']) await queue(n);
    const first = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'a-', MaxResults: 2 }));
    expect(first.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['a-1', 'a-2']);
    const second = await t.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'a-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['a-3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('deletes a queue; the name is blocked for 60 s (QueueDeletedRecently)', async () => {
    const url = await queue('gone');
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(
      (await awsError(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).code,
    ).toBe('QueueDoesNotExist');
    expect((await awsError(queue('gone'))).code).toBe('QueueDeletedRecently');
    t.emu.clock.advance(60_000);
    expect(await queue('gone')).toBe(url);
  });

  it('answers InvalidAddress for a QueueUrl that is not one', async () => {
    expect(
      await awsError(
        t.sqs.send(new SendMessageCommand({ QueueUrl: `${t.emu.url}/nothing`, MessageBody: 'x' })),
      ),
    ).toMatchObject({
      code: 'InvalidAddress',
      status: 404,
    });
  });
});

describe('messages', () => {
  it('sends with MD5s the SDK verifies, and receives with the attributes asked for', async () => {
    const url = await queue();
    const MessageAttributes = {
      colour: { DataType: 'String', StringValue: 'blue' },
      size: { DataType: 'Number', StringValue: '3' },
      raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
    };
    const sent = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'héllo ✓', MessageAttributes }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo ✓', 'utf8').digest('hex'));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(MessageAttributes));
    const [m] = await receive(url, {
      VisibilityTimeout: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    expect(m).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'héllo ✓',
      MD5OfBody: sent.MD5OfMessageBody,
      MessageAttributes,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(t.emu.clock.now()),
        ApproximateFirstReceiveTimestamp: String(t.emu.clock.now()),
      },
    });
    const [only] = await receive(url, { VisibilityTimeout: 0, MessageAttributeNames: ['colour'] });
    expect(only?.MessageAttributes).toEqual({ colour: MessageAttributes.colour });
    expect(only?.Attributes).toBeUndefined();
  });

  it('computes MD5OfMessageAttributes as AWS does', () => {
    // The AWS CLI's own send-message example (awscli/examples/sqs/send-message.rst) shows AWS's
    // answer, elided in the middle: "00484c68...59e48f06". Its Binary value went out as the base64
    // text of "Hello, World!".
    const md5 = md5OfMessageAttributes({
      City: { DataType: 'String', StringValue: 'Any City' },
      Greeting: {
        DataType: 'Binary',
        BinaryValue: Buffer.from(Buffer.from('Hello, World!').toString('base64')),
      },
      Population: { DataType: 'Number', StringValue: '1250800' },
    });
    expect(md5.slice(0, 8)).toBe('00484c68');
    expect(md5.slice(-8)).toBe('59e48f06');
  });

  it('receives at most MaxNumberOfMessages (1–10), oldest first', async () => {
    const url = await queue();
    for (let i = 0; i < 12; i++)
      await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
    expect((await receive(url)).map((m) => m.Body)).toEqual(['m0']);
    expect((await receive(url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
      'm8',
      'm9',
      'm10',
    ]);
    expect(await awsError(receive(url, { MaxNumberOfMessages: 11 }))).toMatchObject({
      code: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be >= 1 and <= 10, if provided.',
    });
    expect((await awsError(receive(url, { WaitTimeSeconds: 21 }))).code).toBe('InvalidParameterValue');
  });

  it('hides a received message for the visibility timeout (per queue, per call), then redelivers it', async () => {
    const url = await queue('vt', { VisibilityTimeout: '10' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'once' }));
    const [first] = await receive(url);
    expect(await receive(url)).toEqual([]);
    const counts = async () =>
      (
        await t.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes;
    expect(await counts()).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    t.emu.clock.advance(9_999);
    expect(await receive(url)).toEqual([]);
    t.emu.clock.advance(1);
    const [again] = await receive(url, {
      VisibilityTimeout: 100,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    expect(again?.MessageId).toBe(first?.MessageId);
    expect(again?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
    t.emu.clock.advance(99_000);
    expect(await receive(url)).toEqual([]);
    // ChangeMessageVisibility(0) makes it visible at once.
    await t.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: again!.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );
    expect((await receive(url)).map((m) => m.Body)).toEqual(['once']);
  });

  it('deletes with the latest receipt handle only; an older one succeeds and deletes nothing', async () => {
    const url = await queue('del', { VisibilityTimeout: '1' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const [first] = await receive(url);
    t.emu.clock.advance(1_000);
    const [second] = await receive(url);
    t.emu.clock.advance(1_000);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle! }));
    const [third] = await receive(url, { VisibilityTimeout: 0 });
    expect(third?.MessageId).toBe(first?.MessageId);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third!.ReceiptHandle! }));
    expect(await receive(url)).toEqual([]);
    expect(second?.MessageId).toBe(first?.MessageId);
    expect(
      await awsError(t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }))),
    ).toMatchObject({
      code: 'ReceiptHandleIsInvalid',
      status: 404,
    });
  });

  it('DeleteMessageBatch reports each failed entry and deletes the others', async () => {
    const url = await queue();
    for (const body of ['a', 'b'])
      await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const got = await receive(url, { MaxNumberOfMessages: 2 });
    const result = await t.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'one', ReceiptHandle: got[0]!.ReceiptHandle! },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
          { Id: 'two', ReceiptHandle: got[1]!.ReceiptHandle! },
        ],
      }),
    );
    expect(result.Successful).toEqual([{ Id: 'one' }, { Id: 'two' }]);
    expect(result.Failed).toEqual([
      {
        Id: 'bad',
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
      },
    ]);
    t.emu.clock.advance(60_000);
    expect(await receive(url)).toEqual([]);
    expect(
      (await awsError(t.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] })))).code,
    ).toBe('EmptyBatchRequest');
    const dup = { Id: 'same', ReceiptHandle: got[0]!.ReceiptHandle! };
    expect(
      (await awsError(t.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [dup, dup] }))))
        .code,
    ).toBe('BatchEntryIdsNotDistinct');
  });

  it('SendMessageBatch sends the valid entries and reports the others', async () => {
    const url = await queue();
    const result = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'bad', MessageBody: 'nul \u0000' },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(['ok']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true }),
    ]);
  });

  it('honours DelaySeconds and MessageRetentionPeriod on the clock', async () => {
    const url = await queue('timed', { MessageRetentionPeriod: '60' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 5 }));
    expect(await receive(url)).toEqual([]);
    t.emu.clock.advance(5_000);
    expect((await receive(url, { VisibilityTimeout: 0 })).map((m) => m.Body)).toEqual(['later']);
    t.emu.clock.advance(55_000);
    expect(await receive(url)).toEqual([]);
  });

  it('purges a queue, at most once every 60 s', async () => {
    const url = await queue();
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await receive(url)).toEqual([]);
    expect(await awsError(t.sqs.send(new PurgeQueueCommand({ QueueUrl: url })))).toMatchObject({
      code: 'PurgeQueueInProgress',
      status: 403,
    });
    t.emu.clock.advance(60_000);
    await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });
});

describe('long polling on the clock', () => {
  it('returns as soon as a message is sent, without the clock moving', async () => {
    const url = await queue();
    const before = t.emu.clock.now();
    const poll = receive(url, { WaitTimeSeconds: 20 });
    await untilWaiting(t.emu);
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    expect((await poll).map((m) => m.Body)).toEqual(['wake up']);
    expect(t.emu.clock.now()).toBe(before);
    expect(t.emu.control.sqs.waiting()).toBe(0);
  });

  it('ends empty when the clock passes the wait, and not a moment before', async () => {
    const url = await queue('slow', { ReceiveMessageWaitTimeSeconds: '10' });
    let settled = false;
    const poll = receive(url).finally(() => {
      settled = true;
    });
    await untilWaiting(t.emu);
    t.emu.clock.advance(9_999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    t.emu.clock.advance(1);
    expect(await poll).toEqual([]);
  });

  it('returns when an in-flight message turns visible again during the wait', async () => {
    const url = await queue('redeliver', { VisibilityTimeout: '5' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'retry me' }));
    await receive(url);
    const poll = receive(url, { WaitTimeSeconds: 20 });
    await untilWaiting(t.emu);
    t.emu.clock.advance(5_000);
    expect((await poll).map((m) => m.Body)).toEqual(['retry me']);
  });

  it('ends pending polls empty on reset, and on close', async () => {
    const url = await queue();
    const poll = receive(url, { WaitTimeSeconds: 20 });
    await untilWaiting(t.emu);
    t.emu.control.reset();
    expect(await poll).toEqual([]);
    expect(t.emu.control.sqs.queues()).toEqual([]);

    const { startEmulator } = await import('../src/index');
    const other = await startEmulator({ clock: 'virtual' });
    const client = new SQSClient({
      endpoint: other.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const otherUrl = (await client.send(new CreateQueueCommand({ QueueName: 'q' }))).QueueUrl!;
    const pending = client.send(new ReceiveMessageCommand({ QueueUrl: otherUrl, WaitTimeSeconds: 20 })).then(
      (r) => r.Messages ?? [],
      () => 'connection closed',
    );
    await untilWaiting(other);
    await other.close();
    expect(other.control.sqs.waiting()).toBe(0);
    // The poll settles at once (answered empty, or cut with the connection), never after 20 s.
    expect(await pending).toBeDefined();
    client.destroy();
  });
});
