import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from './ec2-setup';
import { eventBridgePolicy, useEventsEmulator } from './helpers/events-setup';

/** EventBridge through the unmodified @aws-sdk/client-eventbridge (AWS JSON 1.1), on the virtual clock. */
const t = useEventsEmulator();

beforeEach(() => t.emu.control.reset());

const pattern = (p: unknown) => JSON.stringify(p);

async function queueWithPolicy(name: string): Promise<{ url: string; arn: string }> {
  const url = (await t.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const { Attributes } = await t.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes!.QueueArn!;
  await t.sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: eventBridgePolicy(arn) } }),
  );
  return { url, arn };
}

async function bodies(url: string): Promise<any[]> {
  const r = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return (r.Messages ?? []).map((m) => JSON.parse(m.Body!));
}

describe('rules and targets', () => {
  it('puts, describes, lists (by prefix, paged), enables, disables and deletes rules', async () => {
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({
        Name: 'ec2-states',
        EventPattern: pattern({ source: ['aws.ec2'] }),
        Description: 'all of them',
      }),
    );
    expect(RuleArn).toBe('arn:aws:events:us-east-1:123456789012:rule/ec2-states');
    const described = await t.events.send(new DescribeRuleCommand({ Name: 'ec2-states' }));
    expect(described).toMatchObject({
      Name: 'ec2-states',
      Arn: RuleArn,
      EventPattern: pattern({ source: ['aws.ec2'] }),
      State: 'ENABLED',
      Description: 'all of them',
      EventBusName: 'default',
      CreatedBy: '123456789012',
    });
    for (const n of ['ec2-b', 'ec2-a', 'other'])
      await t.events.send(new PutRuleCommand({ Name: n, EventPattern: pattern({ source: ['x'] }) }));
    const page1 = await t.events.send(new ListRulesCommand({ NamePrefix: 'ec2-', Limit: 2 }));
    expect(page1.Rules?.map((r) => r.Name)).toEqual(['ec2-a', 'ec2-b']);
    const page2 = await t.events.send(
      new ListRulesCommand({ NamePrefix: 'ec2-', Limit: 2, NextToken: page1.NextToken }),
    );
    expect(page2.Rules?.map((r) => r.Name)).toEqual(['ec2-states']);
    expect(page2.NextToken).toBeUndefined();

    await t.events.send(new DisableRuleCommand({ Name: 'ec2-states' }));
    expect((await t.events.send(new DescribeRuleCommand({ Name: 'ec2-states' }))).State).toBe('DISABLED');
    await t.events.send(new EnableRuleCommand({ Name: 'ec2-states' }));
    expect((await t.events.send(new DescribeRuleCommand({ Name: 'ec2-states' }))).State).toBe('ENABLED');

    await t.events.send(new DeleteRuleCommand({ Name: 'ec2-states' }));
    expect(await awsError(t.events.send(new DescribeRuleCommand({ Name: 'ec2-states' })))).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Rule ec2-states does not exist on EventBus default.',
      status: 400,
    });
  });

  it('refuses a malformed or unsupported pattern at PutRule', async () => {
    const put = (EventPattern: string) =>
      awsError(t.events.send(new PutRuleCommand({ Name: 'r', EventPattern })));
    for (const bad of [
      '{not json',
      '[]',
      pattern({ source: 'aws.ec2' }),
      pattern({ source: [] }),
      pattern({ detail: { state: [{ 'no-such-matcher': 1 }] } }),
      pattern({ detail: { n: [{ numeric: ['>', 'one'] }] } }),
      pattern({ detail: { n: [{ numeric: ['<', 5, '>', 1] }] } }),
      pattern({ detail: { s: [{ exists: 'yes' }] } }),
      pattern({ detail: { s: [{ prefix: 1 }] } }),
    ]) {
      const error = await put(bad);
      expect(error.code, bad).toBe('InvalidEventPatternException');
      expect(error.message, bad).toMatch(/^Event pattern is not valid\. Reason: /);
    }
    expect((await awsError(t.events.send(new PutRuleCommand({ Name: 'r' })))).code).toBe(
      'ValidationException',
    );
    expect(
      (await awsError(t.events.send(new PutRuleCommand({ Name: 'bad name', EventPattern: '{"a":[1]}' }))))
        .code,
    ).toBe('ValidationException');
    expect(
      (
        await awsError(
          t.events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"a":[1]}', EventBusName: 'custom' })),
        )
      ).code,
    ).toBe('ResourceNotFoundException');
  });

  it('puts SQS targets, fails other targets per entry, lists and removes them; DeleteRule waits for no targets', async () => {
    await t.events.send(new PutRuleCommand({ Name: 'r', EventPattern: pattern({ source: ['app'] }) }));
    const put = await t.events.send(
      new PutTargetsCommand({
        Rule: 'r',
        Targets: [
          { Id: 'queue', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' },
          { Id: 'lambda', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.FailedEntries).toEqual([
      expect.objectContaining({ TargetId: 'lambda', ErrorCode: 'ValidationException' }),
    ]);
    const listed = await t.events.send(new ListTargetsByRuleCommand({ Rule: 'r' }));
    expect(listed.Targets).toEqual([{ Id: 'queue', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }]);

    expect(await awsError(t.events.send(new DeleteRuleCommand({ Name: 'r' })))).toEqual({
      code: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
      status: 400,
    });
    await t.events.send(new RemoveTargetsCommand({ Rule: 'r', Ids: ['queue'] }));
    await t.events.send(new DeleteRuleCommand({ Name: 'r' }));
    expect((await t.events.send(new ListRulesCommand({}))).Rules).toEqual([]);
    expect((await awsError(t.events.send(new ListTargetsByRuleCommand({ Rule: 'r' })))).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it('keeps at most 5 targets per rule', async () => {
    await t.events.send(new PutRuleCommand({ Name: 'r', EventPattern: pattern({ source: ['app'] }) }));
    const Targets = Array.from({ length: 6 }, (_, i) => ({
      Id: `t${i}`,
      Arn: `arn:aws:sqs:us-east-1:123456789012:q${i}`,
    }));
    expect((await awsError(t.events.send(new PutTargetsCommand({ Rule: 'r', Targets })))).code).toBe(
      'LimitExceededException',
    );
    expect((await t.events.send(new ListTargetsByRuleCommand({ Rule: 'r' }))).Targets).toEqual([]);
  });
});

describe('PutEvents', () => {
  it('delivers custom events to the matching, enabled rules’ queues, as the plain event JSON', async () => {
    const { url, arn } = await queueWithPolicy('orders');
    await t.events.send(
      new PutRuleCommand({
        Name: 'paid',
        EventPattern: pattern({ source: ['shop'], detail: { status: ['paid'] } }),
      }),
    );
    await t.events.send(new PutTargetsCommand({ Rule: 'paid', Targets: [{ Id: 'q', Arn: arn }] }));
    await t.events.send(
      new PutRuleCommand({ Name: 'off', State: 'DISABLED', EventPattern: pattern({ source: ['shop'] }) }),
    );
    await t.events.send(new PutTargetsCommand({ Rule: 'off', Targets: [{ Id: 'q', Arn: arn }] }));

    const result = await t.events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'Order', Detail: '{"status":"paid","id":1}', Resources: ['order/1'] },
          { Source: 'shop', DetailType: 'Order', Detail: '{"status":"open","id":2}' },
          { Source: 'aws.ec2', DetailType: 'Spoof', Detail: '{}' },
          { Source: 'shop', DetailType: 'Order', Detail: 'not json' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.[2]).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
    expect(result.Entries?.[3]).toEqual({
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed.',
    });

    expect(await bodies(url)).toEqual([
      {
        version: '0',
        id: result.Entries![0]!.EventId,
        'detail-type': 'Order',
        source: 'shop',
        account: '123456789012',
        time: '2026-01-01T00:00:00Z',
        region: 'us-east-1',
        resources: ['order/1'],
        detail: { status: 'paid', id: 1 },
      },
    ]);
    expect(t.emu.control.events.stats()).toMatchObject({
      events: 2,
      matchedRules: 1,
      messages: 1,
      failedInvocations: 0,
    });
  });

  it('drops, and counts, deliveries the queue policy does not allow', async () => {
    const url = (await t.sqs.send(new CreateQueueCommand({ QueueName: 'closed' }))).QueueUrl!;
    const arn = 'arn:aws:sqs:us-east-1:123456789012:closed';
    const { RuleArn } = await t.events.send(
      new PutRuleCommand({ Name: 'r', EventPattern: pattern({ source: ['app'] }) }),
    );
    await t.events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'q', Arn: arn }] }));
    const send = () =>
      t.events.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: '{}' }] }));
    await send();
    expect(await bodies(url)).toEqual([]);
    // A policy for another rule does not let this one in either.
    await t.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: eventBridgePolicy(arn, `${RuleArn}-other`) },
      }),
    );
    await send();
    expect(await bodies(url)).toEqual([]);
    expect(t.emu.control.events.stats()).toMatchObject({
      failedInvocations: 2,
      failedInvocationsByRule: { [RuleArn!]: 2 },
    });
    await t.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: eventBridgePolicy(arn, RuleArn) },
      }),
    );
    await send();
    expect(await bodies(url)).toHaveLength(1);
  });
});

describe('event patterns (TestEventPattern, the same matcher the rules use)', () => {
  const event = {
    version: '0',
    id: 'e1',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0'],
    detail: {
      'instance-id': 'i-0123456789abcdef0',
      state: 'running',
      cpu: 42,
      tags: ['web', 'blue'],
      ip: '10.0.3.7',
      extra: null,
    },
  };
  const cases: [string, unknown, boolean][] = [
    [
      'source and detail-type',
      { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      true,
    ],
    ['another source', { source: ['aws.s3'] }, false],
    ['one of several values', { detail: { state: ['pending', 'running'] } }, true],
    ['none of several values', { detail: { state: ['stopped', 'terminated'] } }, false],
    ['nested and top-level together', { region: ['us-east-1'], detail: { state: ['running'] } }, true],
    ['a field the event lacks', { detail: { colour: ['red'] } }, false],
    ['prefix', { detail: { 'instance-id': [{ prefix: 'i-0123' }] } }, true],
    ['prefix that differs', { detail: { 'instance-id': [{ prefix: 'i-9' }] } }, false],
    ['suffix', { resources: [{ suffix: 'abcdef0' }] }, true],
    ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'RUNNING' }] } }, true],
    ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, true],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'stopped' }] } }, true],
    [
      'anything-but the value it has',
      { detail: { state: [{ 'anything-but': ['running', 'pending'] }] } },
      false,
    ],
    ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, false],
    ['exists true', { detail: { state: [{ exists: true }] } }, true],
    ['exists true on a missing field', { detail: { colour: [{ exists: true }] } }, false],
    ['exists false on a missing field', { detail: { colour: [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['numeric range', { detail: { cpu: [{ numeric: ['>', 40, '<=', 42] }] } }, true],
    ['numeric outside the range', { detail: { cpu: [{ numeric: ['>=', 50] }] } }, false],
    ['numeric equals', { detail: { cpu: [{ numeric: ['=', 42] }] } }, true],
    ['numeric value, exact', { detail: { cpu: [42] } }, true],
    ['a number is not its string', { detail: { cpu: ['42'] } }, false],
    ['an array field matches any element', { detail: { tags: ['blue'] } }, true],
    ['null matches null', { detail: { extra: [null] } }, true],
    ['cidr', { detail: { ip: [{ cidr: '10.0.0.0/16' }] } }, true],
    ['cidr outside', { detail: { ip: [{ cidr: '10.1.0.0/16' }] } }, false],
    ['$or, one branch matches', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] }, true],
    ['$or, no branch matches', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['stopped'] } }] }, false],
  ];
  it.each(cases)('%s', async (_name, p, expected) => {
    const { Result } = await t.events.send(
      new TestEventPatternCommand({ EventPattern: pattern(p), Event: JSON.stringify(event) }),
    );
    expect(Result).toBe(expected);
  });

  it('refuses an event without the required fields', async () => {
    const { id: _id, ...noId } = event;
    expect(
      await awsError(
        t.events.send(
          new TestEventPatternCommand({
            EventPattern: pattern({ source: ['aws.ec2'] }),
            Event: JSON.stringify(noId),
          }),
        ),
      ),
    ).toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining('missing required field id'),
    });
  });
});
