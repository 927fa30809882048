import type {
  CreateQueueCommandInput,
  CreateQueueCommandOutput,
  DeleteQueueCommandInput,
  DeleteQueueCommandOutput,
  GetQueueAttributesCommandInput,
  GetQueueAttributesCommandOutput,
  GetQueueUrlCommandInput,
  GetQueueUrlCommandOutput,
  ListQueuesCommandInput,
  ListQueuesCommandOutput,
  ListQueueTagsCommandInput,
  ListQueueTagsCommandOutput,
  PurgeQueueCommandInput,
  PurgeQueueCommandOutput,
  SetQueueAttributesCommandInput,
  SetQueueAttributesCommandOutput,
  TagQueueCommandInput,
  TagQueueCommandOutput,
  UntagQueueCommandInput,
  UntagQueueCommandOutput,
} from '@aws-sdk/client-sqs';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  invalidAttributeName,
  invalidAttributeValue,
  invalidParameter,
  invalidParameterValue,
  missingParameter,
  purgeQueueInProgress,
  queueDeletedRecently,
  queueDoesNotExist,
  queueNameExists,
  unsupportedOperation,
} from './errors';
import { counts, endWaiters, findQueue, type Queue, queueArn, queueUrl, sqsState } from './queue-state';

/** CreateQueue, GetQueueUrl, the attribute calls, PurgeQueue, DeleteQueue, ListQueues and queue tags. */

interface AttributeSpec {
  default?: string;
  /** The value as stored, or undefined when it is not valid. */
  check(value: string): string | undefined;
}

const integer = (min: number, max: number, fallback: string): AttributeSpec => ({
  default: fallback,
  check: (v) => (/^-?\d+$/.test(v.trim()) && +v >= min && +v <= max ? String(+v) : undefined),
});

const json: AttributeSpec = {
  check(v) {
    if (v === '') return '';
    try {
      const parsed: unknown = JSON.parse(v);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? v : undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * The attributes of a standard queue that CreateQueue and SetQueueAttributes take, with AWS's
 * bounds and defaults. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
const settable: Record<string, AttributeSpec> = {
  DelaySeconds: integer(0, 900, '0'),
  MaximumMessageSize: integer(1024, 1_048_576, '262144'),
  MessageRetentionPeriod: integer(60, 1_209_600, '345600'),
  ReceiveMessageWaitTimeSeconds: integer(0, 20, '0'),
  VisibilityTimeout: integer(0, 43_200, '30'),
  Policy: json,
  RedrivePolicy: json,
  RedriveAllowPolicy: json,
  KmsMasterKeyId: { check: (v) => v },
  KmsDataKeyReusePeriodSeconds: integer(60, 86_400, '300'),
  SqsManagedSseEnabled: { default: 'true', check: (v) => (v === 'true' || v === 'false' ? v : undefined) },
};

/** GetQueueAttributes' answer order for All, after QueueArn and the counts. */
const readOnly = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];

function checkAttributes(attributes: Record<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const spec = Object.hasOwn(settable, name) ? settable[name] : undefined;
    if (!spec) throw invalidAttributeName(name);
    const checked = spec.check(value);
    if (checked === undefined) throw invalidAttributeValue(name);
    out.set(name, checked);
  }
  return out;
}

function defaults(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, spec] of Object.entries(settable))
    if (spec.default !== undefined) out.set(name, spec.default);
  return out;
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
const createQueue: Handler<CreateQueueCommandInput, Out<CreateQueueCommandOutput>> = (input, ctx) => {
  const name = input.QueueName ?? '';
  if (!name) throw missingParameter('QueueName');
  const fifo = input.Attributes?.FifoQueue;
  if (name.endsWith('.fifo') || fifo === 'true')
    throw unsupportedOperation('The aws-trpc emulator implements standard queues only, not FIFO queues.');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
    throw invalidParameterValue(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  const { FifoQueue: _standard, ...rest } = input.Attributes ?? {};
  const given = checkAttributes(rest);
  const now = ctx.clock.now();
  const st = sqsState(ctx.region);
  const existing = st.queues.get(name);
  // Idempotent when every given attribute matches; AWS ignores the ones left out.
  if (existing) {
    for (const [k, v] of given) if ((existing.attributes.get(k) ?? '') !== v) throw queueNameExists(k);
    return { QueueUrl: queueUrl(ctx, name) };
  }
  const deletedAt = st.deletedAt.get(name);
  if (deletedAt !== undefined && now - deletedAt < 60_000) throw queueDeletedRecently();
  const attributes = defaults();
  for (const [k, v] of given) if (v !== '') attributes.set(k, v);
  const queue: Queue = {
    name,
    arn: queueArn(ctx.region, name),
    createdAt: now,
    modifiedAt: now,
    attributes,
    tags: new Map(Object.entries(input.tags ?? {})),
    messages: new Map(),
    nextSeq: 1,
    nextHandle: 1,
    deleted: false,
    waiters: new Set(),
  };
  st.queues.set(name, queue);
  return { QueueUrl: queueUrl(ctx, name) };
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
const getQueueUrl: Handler<GetQueueUrlCommandInput, Out<GetQueueUrlCommandOutput>> = (input, ctx) => {
  const owner = input.QueueOwnerAWSAccountId;
  const queue = sqsState(ctx.region).queues.get(input.QueueName ?? '');
  if (!queue || (owner !== undefined && owner !== ctx.region.accountId)) throw queueDoesNotExist();
  return { QueueUrl: queueUrl(ctx, queue.name) };
};

/** Epoch seconds, as SQS writes its timestamps attributes. */
const seconds = (ms: number) => String(Math.floor(ms / 1000));

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
const getQueueAttributes: Handler<GetQueueAttributesCommandInput, Out<GetQueueAttributesCommandOutput>> = (
  input,
  ctx,
) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  const names: string[] = input.AttributeNames ?? [];
  for (const n of names)
    if (n !== 'All' && !readOnly.includes(n) && !Object.hasOwn(settable, n)) throw invalidAttributeName(n);
  const all = names.includes('All');
  const wanted = (n: string) => all || names.includes(n);
  const { visible, inFlight, delayed } = counts(queue, ctx.clock.now());
  const values: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: seconds(queue.createdAt),
    LastModifiedTimestamp: seconds(queue.modifiedAt),
  };
  const Attributes: Record<string, string> = {};
  for (const n of readOnly) if (wanted(n)) Attributes[n] = values[n]!;
  for (const [n, v] of queue.attributes) if (wanted(n)) Attributes[n] = v;
  return Object.keys(Attributes).length ? { Attributes } : {};
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
const setQueueAttributes: Handler<SetQueueAttributesCommandInput, Out<SetQueueAttributesCommandOutput>> = (
  input,
  ctx,
) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  if (!input.Attributes || Object.keys(input.Attributes).length === 0)
    throw missingParameter('Attribute.1.Name');
  // An empty value clears an optional attribute (Policy, RedrivePolicy, KmsMasterKeyId).
  for (const [k, v] of checkAttributes(input.Attributes)) {
    if (v === '' && settable[k]?.default === undefined) queue.attributes.delete(k);
    else queue.attributes.set(k, v);
  }
  queue.modifiedAt = ctx.clock.now();
  return {};
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
const deleteQueue: Handler<DeleteQueueCommandInput, Out<DeleteQueueCommandOutput>> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  const st = sqsState(ctx.region);
  st.queues.delete(queue.name);
  st.deletedAt.set(queue.name, ctx.clock.now());
  queue.deleted = true;
  endWaiters(queue);
  return {};
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
const purgeQueue: Handler<PurgeQueueCommandInput, Out<PurgeQueueCommandOutput>> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  const now = ctx.clock.now();
  if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < 60_000)
    throw purgeQueueInProgress(input.QueueUrl ?? queue.name);
  queue.lastPurgeAt = now;
  queue.messages.clear();
  return {};
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
const listQueues: Handler<ListQueuesCommandInput, Out<ListQueuesCommandOutput>> = (input, ctx) => {
  const max = input.MaxResults;
  if (max !== undefined && (max < 1 || max > 1000))
    throw invalidParameter('MaxResults', max, 'MaxResults must be an integer between 1 and 1000.');
  const prefix = input.QueueNamePrefix ?? '';
  const after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : '';
  const names = [...sqsState(ctx.region).queues.keys()]
    .filter((n) => n.startsWith(prefix) && n > after)
    .sort();
  const page = names.slice(0, max ?? 1000);
  const more = max !== undefined && names.length > page.length;
  return {
    QueueUrls: page.map((n) => queueUrl(ctx, n)),
    NextToken: more ? Buffer.from(page.at(-1)!).toString('base64url') : undefined,
  };
};

const tagQueue: Handler<TagQueueCommandInput, Out<TagQueueCommandOutput>> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  const tags = Object.entries(input.Tags ?? {});
  if (tags.length === 0) throw missingParameter('Tags');
  const keys = new Set([...queue.tags.keys(), ...tags.map(([k]) => k)]);
  if (keys.size > 50) throw invalidParameterValue('Too many tags added for queue. Limit is 50.');
  for (const [k, v] of tags) queue.tags.set(k, v);
  return {};
};

const untagQueue: Handler<UntagQueueCommandInput, Out<UntagQueueCommandOutput>> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  for (const k of input.TagKeys ?? []) queue.tags.delete(k);
  return {};
};

const listQueueTags: Handler<ListQueueTagsCommandInput, Out<ListQueueTagsCommandOutput>> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  return queue.tags.size ? { Tags: Object.fromEntries(queue.tags) } : {};
};

export const queueHandlers: HandlerMap = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  DeleteQueue: deleteQueue,
  PurgeQueue: purgeQueue,
  ListQueues: listQueues,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
  ListQueueTags: listQueueTags,
};
