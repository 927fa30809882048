import {
  DeleteRuleCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * The push source's AWS side: an SQS queue, a policy that lets EventBridge send to it (from this rule
 * only), a rule matching EC2's state-change notifications, and the rule's target. `aws-trpc events
 * setup` creates them (again, harmlessly: every step is idempotent); `teardown` removes them.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 */

export const defaultEventsName = 'aws-trpc-ec2-state';

/** The target's id on the rule. */
const targetId = 'aws-trpc-events-queue';

export const stateChangePattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
};

export interface EventsQueueClients {
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
}

export interface EventsQueue {
  queueUrl: string;
  queueArn: string;
  ruleArn: string;
}

/** Creates (or confirms) the queue, its policy, the rule and its target. `progress` hears each step. */
export async function setUpEventsQueue(
  clients: EventsQueueClients,
  name = defaultEventsName,
  progress: (step: string) => void = () => {},
): Promise<EventsQueue> {
  const { sqs, eventBridge } = clients;
  progress(`queue ${name}`);
  const queueUrl = await createOrFindQueue(sqs, name);
  if (!queueUrl) throw new Error(`CreateQueue ${name} answered no QueueUrl`);
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = attributes.Attributes?.QueueArn;
  if (!queueArn) throw new Error(`GetQueueAttributes ${queueUrl} answered no QueueArn`);

  progress(`rule ${name} (${stateChangePattern['detail-type'][0]})`);
  const rule = await eventBridge.send(
    new PutRuleCommand({
      Name: name,
      EventPattern: JSON.stringify(stateChangePattern),
      State: 'ENABLED',
      Description: 'EC2 instance state changes for the aws-trpc gateway (aws-trpc events setup)',
    }),
  );
  const ruleArn = rule.RuleArn;
  if (!ruleArn) throw new Error(`PutRule ${name} answered no RuleArn`);

  progress('queue policy: EventBridge may send, from this rule only');
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: { Policy: JSON.stringify(queuePolicy(queueArn, ruleArn)) },
    }),
  );

  progress(`target ${targetId} → ${queueArn}`);
  const targets = await eventBridge.send(
    new PutTargetsCommand({ Rule: name, Targets: [{ Id: targetId, Arn: queueArn }] }),
  );
  if (targets.FailedEntryCount) {
    const failed = targets.FailedEntries?.[0];
    throw new Error(`PutTargets ${name}: ${failed?.ErrorCode ?? 'failed'}: ${failed?.ErrorMessage ?? ''}`);
  }
  return { queueUrl, queueArn, ruleArn };
}

/** Removes the target, the rule and the queue; what is already gone is skipped. */
export async function tearDownEventsQueue(
  clients: EventsQueueClients,
  name = defaultEventsName,
  progress: (step: string) => void = () => {},
): Promise<void> {
  const { sqs, eventBridge } = clients;
  progress(`target ${targetId} of rule ${name}`);
  await ignoreMissing(eventBridge.send(new RemoveTargetsCommand({ Rule: name, Ids: [targetId] })));
  progress(`rule ${name}`);
  await ignoreMissing(eventBridge.send(new DeleteRuleCommand({ Name: name })));
  progress(`queue ${name}`);
  const queue = await ignoreMissing(sqs.send(new GetQueueUrlCommand({ QueueName: name })));
  if (queue?.QueueUrl) await ignoreMissing(sqs.send(new DeleteQueueCommand({ QueueUrl: queue.QueueUrl })));
}

async function createOrFindQueue(sqs: SQSClient, name: string): Promise<string | undefined> {
  try {
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        // A day of events is plenty for a gateway that was down; older ones are replaced by a fresh read.
        Attributes: { MessageRetentionPeriod: '86400', ReceiveMessageWaitTimeSeconds: '20' },
      }),
    );
    return created.QueueUrl;
  } catch (error) {
    // The queue exists with attributes someone changed: keep them, use the queue.
    if ((error as { name?: string }).name !== 'QueueAlreadyExists') throw error;
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  }
}

function queuePolicy(queueArn: string, ruleArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'aws-trpc-events',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
    ],
  };
}

const missingCodes = new Set([
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);

async function ignoreMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (missingCodes.has((error as { name?: string }).name ?? '')) return undefined;
    throw error;
  }
}

/**
 * The region of an SQS queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/name`), or
 * undefined for a URL that does not say (an emulator, LocalStack).
 */
export function queueRegion(queueUrl: string): string | undefined {
  try {
    return /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(queueUrl).hostname)?.[1];
  } catch {
    return undefined;
  }
}
