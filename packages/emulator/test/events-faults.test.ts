import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from './ec2-setup';
import { AL2023, clientsFor, eventBridgePolicy, useEventsEmulator } from './helpers/events-setup';

/**
 * The fault knobs a consumer's tests use: duplicated, reordered and delayed (stale) deliveries, and
 * failing SQS calls; in process and over HTTP.
 */
const t = useEventsEmulator({ pending: 5_000 });

let url: string;

beforeEach(async () => {
  t.emu.control.reset();
  url = (await t.sqs.send(new CreateQueueCommand({ QueueName: 'events' }))).QueueUrl!;
  const arn = 'arn:aws:sqs:us-east-1:123456789012:events';
  await t.sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: eventBridgePolicy(arn) } }),
  );
  await t.events.send(
    new PutRuleCommand({ Name: 'ec2', EventPattern: JSON.stringify({ source: ['aws.ec2'] }) }),
  );
  await t.events.send(new PutTargetsCommand({ Rule: 'ec2', Targets: [{ Id: 'q', Arn: arn }] }));
});

interface Received {
  messageId: string;
  id: string;
  state: string;
  time: string;
}

async function drain(): Promise<Received[]> {
  const out: Received[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await t.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
    );
    if (!r.Messages?.length) break;
    for (const m of r.Messages) {
      const e = JSON.parse(m.Body!);
      out.push({ messageId: m.MessageId!, id: e.id, state: e.detail.state, time: e.time });
    }
  }
  return out;
}

const launch = () => t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));

describe('delivery faults, in process', () => {
  it('duplicate(n): the next n deliveries arrive twice, one event id in two messages', async () => {
    t.emu.control.events.duplicate(1);
    await launch();
    t.emu.clock.advance(5_000);
    const got = await drain();
    expect(got.map((r) => r.state)).toEqual(['pending', 'pending', 'running']);
    expect(got[0]!.id).toBe(got[1]!.id);
    expect(got[0]!.messageId).not.toBe(got[1]!.messageId);
    expect(t.emu.control.events.faults()).toEqual([]);
    expect(t.emu.control.events.stats()).toMatchObject({ invocations: 2, messages: 3 });
  });

  it('reorder(n): the next n deliveries are held, then sent in reverse', async () => {
    t.emu.control.events.reorder(2);
    await launch();
    expect(await drain()).toEqual([]);
    expect(t.emu.control.events.stats().held).toBe(1);
    expect(t.emu.control.events.faults()).toEqual([{ kind: 'reorder', count: 2, held: 1 }]);
    t.emu.clock.advance(5_000);
    expect((await drain()).map((r) => r.state)).toEqual(['running', 'pending']);
    expect(t.emu.control.events.stats().held).toBe(0);
  });

  it('delay(n, ms): a delivery held past the next transition arrives stale', async () => {
    t.emu.control.events.delay(1, 8_000);
    const t0 = t.emu.clock.now();
    await launch();
    t.emu.clock.advance(5_000);
    expect((await drain()).map((r) => r.state)).toEqual(['running']);
    t.emu.clock.advance(2_999);
    expect(await drain()).toEqual([]);
    t.emu.clock.advance(1);
    const [late] = await drain();
    // The event keeps the time of its transition; it just arrives after a newer one.
    expect(late).toMatchObject({ state: 'pending', time: new Date(t0).toISOString().replace('.000Z', 'Z') });
  });

  it('release() sends what is held now; clearFaults() removes faults and sends what they held', async () => {
    t.emu.control.events.reorder(5);
    await launch();
    t.emu.clock.advance(5_000);
    expect(t.emu.control.events.release()).toBe(2);
    expect((await drain()).map((r) => r.state)).toEqual(['running', 'pending']);

    t.emu.control.events.delay(3, 60_000);
    t.emu.control.events.duplicate(10);
    await launch();
    expect(t.emu.control.events.stats().held).toBe(1);
    t.emu.control.events.clearFaults();
    expect(t.emu.control.events.faults()).toEqual([]);
    expect((await drain()).map((r) => r.state)).toEqual(['pending']);
    t.emu.clock.advance(60_000);
    expect((await drain()).map((r) => r.state)).toEqual(['running']);
  });

  it('applies to PutEvents deliveries too, and checks its arguments', async () => {
    await t.events.send(
      new PutRuleCommand({ Name: 'app', EventPattern: JSON.stringify({ source: ['app'] }) }),
    );
    await t.events.send(
      new PutTargetsCommand({
        Rule: 'app',
        Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:123456789012:events' }],
      }),
    );
    t.emu.control.events.duplicate(1);
    await t.events.send(
      new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: '{"state":"custom"}' }] }),
    );
    expect((await drain()).map((r) => r.state)).toEqual(['custom', 'custom']);
    expect(() => t.emu.control.events.duplicate(0)).toThrow(RangeError);
    expect(() => t.emu.control.events.delay(1, -1)).toThrow(RangeError);
  });
});

describe('failing SQS calls (the request faults, extended to SQS and EventBridge)', () => {
  it('throttles ReceiveMessage (RequestThrottled, 403), which the SDK retries', async () => {
    t.emu.control.faults.throttle(1, { service: 'sqs', action: 'ReceiveMessage' });
    expect(await awsError(t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url })))).toMatchObject({
      code: 'RequestThrottled',
      status: 403,
    });
    t.emu.control.faults.throttle(1, { service: 'sqs', action: 'ReceiveMessage' });
    const retrying = clientsFor(t.emu.url, 3).sqs;
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after a retry' }));
    const r = await retrying.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(r.$metadata.attempts).toBe(2);
    expect(r.Messages?.[0]?.Body).toBe('after a retry');
    retrying.destroy();
  });

  it('fails DeleteMessage with the error asked for, then serves it again', async () => {
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const [m] = (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages!;
    t.emu.control.faults.fail(1, {
      service: 'sqs',
      action: 'DeleteMessage',
      code: 'InternalError',
      status: 500,
    });
    expect(
      await awsError(
        t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle! })),
      ),
    ).toMatchObject({
      code: 'InternalError',
      status: 500,
    });
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle! }));
    expect(t.emu.control.requests.count({ service: 'sqs', action: 'DeleteMessage' })).toBe(2);
  });

  it('throttles EventBridge with ThrottlingException', async () => {
    t.emu.control.faults.throttle(1, { service: 'events' });
    expect(
      (
        await awsError(
          t.events.send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{}' }] })),
        )
      ).code,
    ).toBe('ThrottlingException');
  });
});

describe('over HTTP, under /_emulator/', () => {
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${t.emu.url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  }

  it('adds, lists, releases and clears delivery faults', async () => {
    expect((await call('POST', '/events/faults', { kind: 'reorder', count: 2 })).json.faults).toEqual([
      { kind: 'reorder', count: 2, held: 0 },
    ]);
    await launch();
    expect((await call('GET', '/events')).json).toMatchObject({
      stats: { events: 1, held: 1 },
      faults: [{ kind: 'reorder', held: 1 }],
    });
    expect((await call('POST', '/events/release')).json).toMatchObject({ released: 1, faults: [] });
    expect((await drain()).map((r) => r.state)).toEqual(['pending']);

    await call('POST', '/events/faults', { kind: 'duplicate', count: 1 });
    await call('POST', '/events/faults', { kind: 'delay', count: 1, ms: 1_000 });
    expect((await call('DELETE', '/events/faults')).json.faults).toEqual([]);
    expect((await call('POST', '/events/faults', { kind: 'explode' })).status).toBe(400);
    expect((await call('POST', '/events/faults', { kind: 'delay', count: 1 })).json).toEqual({
      error: '"delay" needs "ms"',
    });
  });

  it('throttles SQS calls and shows queues and parked long polls', async () => {
    expect(
      (
        await call('POST', '/faults', {
          kind: 'throttle',
          service: 'sqs',
          action: 'ReceiveMessage',
          count: 1,
        })
      ).status,
    ).toBe(200);
    expect((await awsError(t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url })))).code).toBe(
      'RequestThrottled',
    );
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    expect((await call('GET', '/sqs')).json).toEqual({
      queues: [
        {
          region: 'us-east-1',
          name: 'events',
          arn: 'arn:aws:sqs:us-east-1:123456789012:events',
          visible: 1,
          inFlight: 0,
          delayed: 0,
          waiting: 0,
        },
      ],
      waiting: 0,
    });
  });
});
