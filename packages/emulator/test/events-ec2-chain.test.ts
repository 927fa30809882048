import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { AL2023, clientsFor, eventBridgePolicy, useEventsEmulator } from './helpers/events-setup';

/**
 * EC2 → EventBridge → SQS: every state an instance enters is one `EC2 Instance State-change
 * Notification`, at the transition's own time, whether or not anyone reads the instance.
 */
const delays = { pending: 5_000, stopping: 4_000, shuttingDown: 3_000 };
const t = useEventsEmulator(delays);

beforeEach(() => t.emu.control.reset());

const lifecycle = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'pending',
  'running',
  'shutting-down',
  'terminated',
];

interface StateEvent {
  id: string;
  time: string;
  detail: { 'instance-id': string; state: string };
  [key: string]: unknown;
}

/** A queue with the policy EventBridge needs (unless `policy` is false) and a rule for EC2's events. */
async function subscribe(options: { policy?: boolean; region?: string } = {}) {
  const { sqs, events } = options.region ? clientsForRegion(options.region) : t;
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'ec2-events' }))).QueueUrl!;
  const arn = `arn:aws:sqs:${options.region ?? 'us-east-1'}:123456789012:ec2-events`;
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: 'ec2-state',
      EventPattern: JSON.stringify({
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
      }),
    }),
  );
  if (options.policy !== false)
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: eventBridgePolicy(arn, RuleArn) },
      }),
    );
  await events.send(new PutTargetsCommand({ Rule: 'ec2-state', Targets: [{ Id: 'queue', Arn: arn }] }));
  return { url, ruleArn: RuleArn! };
}

function clientsForRegion(region: string) {
  const c = clientsFor(t.emu.url);
  for (const client of Object.values(c)) (client.config as { region: unknown }).region = async () => region;
  return c;
}

/** Everything in the queue, oldest first (bounded: at most 10 pages). */
async function drain(url: string): Promise<StateEvent[]> {
  const out: StateEvent[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await t.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
    );
    if (!r.Messages?.length) break;
    out.push(...r.Messages.map((m) => JSON.parse(m.Body!) as StateEvent));
  }
  return out;
}

async function launch(count = 1): Promise<string[]> {
  const r = await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: count, MaxCount: count }));
  return r.Instances!.map((i) => i.InstanceId!);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('instance state-change events', () => {
  it('delivers exactly the 8 states of launch, stop, start, terminate, in order of time, each once, with no reads', async () => {
    const { url } = await subscribe();
    const t0 = t.emu.clock.now();
    const [id] = await launch();
    t.emu.clock.advance(delays.pending);
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id!] }));
    t.emu.clock.advance(delays.stopping);
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id!] }));
    t.emu.clock.advance(delays.pending);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id!] }));
    t.emu.clock.advance(delays.shuttingDown);

    const events = await drain(url);
    expect(events.map((e) => e.detail.state)).toEqual(lifecycle);
    expect(new Set(events.map((e) => e.id)).size).toBe(8);
    expect(events.map((e) => e.time)).toEqual([0, 5, 5, 9, 9, 14, 14, 17].map((s) => iso(t0 + s * 1000)));
    // AWS's exact shape, field order included.
    expect(Object.keys(events[0]!)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(events[1]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      account: '123456789012',
      time: iso(t0 + 5_000),
      region: 'us-east-1',
      resources: [`arn:aws:ec2:us-east-1:123456789012:instance/${id}`],
      detail: { 'instance-id': id, state: 'running' },
    });
    expect(t.emu.control.events.stats()).toMatchObject({
      events: 8,
      messages: 8,
      failedInvocations: 0,
      held: 0,
    });
  });

  it('sends each transition once when reads settle it first, and at its own time when read late', async () => {
    const { url } = await subscribe();
    const t0 = t.emu.clock.now();
    const [id] = await launch();
    const describe = () => t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id!] }));
    await describe();
    t.emu.clock.advance(2_000);
    await describe();
    t.emu.clock.advance(10_000);
    await describe();
    await describe();
    const events = await drain(url);
    expect(events.map((e) => [e.detail.state, e.time])).toEqual([
      ['pending', iso(t0)],
      ['running', iso(t0 + 5_000)],
    ]);
  });

  it('arrives in the queue as the clock passes the transition, not before', async () => {
    const { url } = await subscribe();
    await launch();
    expect((await drain(url)).map((e) => e.detail.state)).toEqual(['pending']);
    t.emu.clock.advance(4_999);
    expect(await drain(url)).toEqual([]);
    t.emu.clock.advance(1);
    expect((await drain(url)).map((e) => e.detail.state)).toEqual(['running']);
  });

  it('follows delays changed at run time, and a forced stop (stopping and stopped at once)', async () => {
    const { url } = await subscribe();
    const t0 = t.emu.clock.now();
    const [id] = await launch();
    t.emu.control.delays.set({ pending: 1_000 });
    t.emu.clock.advance(5_000);
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id!], Force: true }));
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id!] }));
    t.emu.clock.advance(1_000);
    const events = await drain(url);
    expect(events.map((e) => `${e.detail.state}@${(Date.parse(e.time) - t0) / 1000}`)).toEqual([
      'pending@0',
      // This launch kept the delay in force when it began.
      'running@5',
      'stopping@5',
      'stopped@5',
      'pending@5',
      'running@6',
    ]);
  });

  it('sends one event per instance for a multi-instance launch', async () => {
    const { url } = await subscribe();
    const ids = await launch(3);
    t.emu.clock.advance(5_000);
    const events = await drain(url);
    expect(events).toHaveLength(6);
    for (const id of ids)
      expect(events.filter((e) => e.detail['instance-id'] === id).map((e) => e.detail.state)).toEqual([
        'pending',
        'running',
      ]);
  });

  it('delivers nothing without a queue policy allowing EventBridge, and counts the failed invocations', async () => {
    const { url, ruleArn } = await subscribe({ policy: false });
    await launch();
    t.emu.clock.advance(5_000);
    expect(await drain(url)).toEqual([]);
    expect(t.emu.control.events.stats()).toMatchObject({
      events: 2,
      invocations: 2,
      messages: 0,
      failedInvocations: 2,
      failedInvocationsByRule: { [ruleArn]: 2 },
    });
  });

  it('keeps each region to its own rules', async () => {
    const west = await subscribe({ region: 'us-west-2' });
    const east = await subscribe();
    await launch();
    t.emu.clock.advance(5_000);
    expect((await drain(east.url)).map((e) => e.region)).toEqual(['us-east-1', 'us-east-1']);
    const westSqs = clientsForRegion('us-west-2').sqs;
    const r = await westSqs.send(new ReceiveMessageCommand({ QueueUrl: west.url, MaxNumberOfMessages: 10 }));
    expect(r.Messages ?? []).toEqual([]);
  });

  it('reset cancels scheduled transitions: no event fires afterwards', async () => {
    await subscribe();
    await launch();
    expect(t.emu.control.events.stats().events).toBe(1);
    t.emu.control.reset();
    t.emu.clock.advance(60_000);
    expect(t.emu.control.events.stats()).toMatchObject({ events: 0, invocations: 0 });
  });
});

describe('control.events.onStateEntered', () => {
  it('tells each state an instance of this emulator enters, at its exact time, and stops when asked', async () => {
    const entries: { instanceId: string; state: string; time: number; region: string }[] = [];
    const stop = t.emu.control.events.onStateEntered((e) => entries.push(e));
    const launchedAt = t.emu.clock.now();
    const out = await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }),
    );
    const id = out.Instances![0]!.InstanceId!;
    t.emu.clock.advance(delays.pending + 1);
    expect(entries).toEqual([
      { instanceId: id, state: 'pending', time: launchedAt, region: 'us-east-1' },
      { instanceId: id, state: 'running', time: launchedAt + delays.pending, region: 'us-east-1' },
    ]);
    stop();
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(entries).toHaveLength(2);
  });
});
