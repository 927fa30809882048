import { randomBytes, randomUUID } from 'node:crypto';
import type {
  BatchResultErrorEntry,
  ChangeMessageVisibilityCommandInput,
  ChangeMessageVisibilityCommandOutput,
  DeleteMessageBatchCommandInput,
  DeleteMessageBatchCommandOutput,
  DeleteMessageCommandInput,
  DeleteMessageCommandOutput,
  Message,
  MessageAttributeValue,
  ReceiveMessageCommandInput,
  ReceiveMessageCommandOutput,
  SendMessageBatchCommandInput,
  SendMessageBatchCommandOutput,
  SendMessageCommandInput,
  SendMessageCommandOutput,
} from '@aws-sdk/client-sqs';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region, RequestContext } from '../../core/types';
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidMessageContents,
  invalidParameter,
  invalidParameterValue,
  messageNotInflight,
  missingParameter,
  receiptHandleIsInvalid,
  tooManyEntriesInBatchRequest,
} from './errors';
import { md5Hex, md5OfMessageAttributes } from './message-md5';
import {
  expire,
  findQueue,
  longPolls,
  numberAttribute,
  type Queue,
  type SqsMessage,
  type Waiter,
  wake,
} from './queue-state';

/** SendMessage(Batch), ReceiveMessage with long polling, DeleteMessage(Batch), ChangeMessageVisibility. */

/** The characters a message may hold are XML's: https://www.w3.org/TR/REC-xml/#charsets */
function hasInvalidCharacter(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const valid =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!valid) return true;
  }
  return false;
}

export interface NewMessage {
  body: string;
  attributes?: Record<string, MessageAttributeValue> | undefined;
  delaySeconds?: number | undefined;
  senderId: string;
}

/** Puts a message on a queue (SendMessage, and EventBridge's deliveries) and wakes its long polls. */
export function enqueue(region: Region, queue: Queue, message: NewMessage): SqsMessage {
  const now = region.env.clock.now();
  const delay = message.delaySeconds ?? numberAttribute(queue, 'DelaySeconds');
  const m: SqsMessage = {
    seq: queue.nextSeq++,
    id: randomUUID(),
    body: message.body,
    md5OfBody: md5Hex(message.body),
    attributes: message.attributes ?? {},
    senderId: message.senderId,
    sentAt: now,
    visibleAt: now + delay * 1000,
    receiveCount: 0,
  };
  queue.messages.set(m.id, m);
  wake(region, queue);
  return m;
}

/** Checks a message as SendMessage does: body, delay, attributes and size. */
function checkMessage(
  queue: Queue,
  body: string | undefined,
  delay: number | undefined,
  attributes?: Record<string, MessageAttributeValue>,
) {
  if (!body) throw missingParameter('MessageBody');
  if (hasInvalidCharacter(body)) throw invalidMessageContents();
  if (delay !== undefined && (delay < 0 || delay > 900 || !Number.isInteger(delay)))
    throw invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
  const entries = Object.entries(attributes ?? {});
  if (entries.length > 10)
    throw invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
    );
  let size = Buffer.byteLength(body);
  for (const [name, value] of entries) {
    if (!/^(?!\.)(?!.*\.\.)(?!.*\.$)(?!(?:AWS|Amazon)\.)[A-Za-z0-9_.-]{1,256}$/i.test(name))
      throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    const type = value.DataType ?? '';
    const base = /^(String|Number|Binary)(\..+)?$/.exec(type)?.[1];
    if (!base)
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    const missingValue = base === 'Binary' ? !value.BinaryValue?.length : !value.StringValue;
    if (missingValue)
      throw invalidParameterValue(
        `Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`,
      );
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
    size += base === 'Binary' ? value.BinaryValue!.length : Buffer.byteLength(value.StringValue!);
  }
  const max = numberAttribute(queue, 'MaximumMessageSize');
  if (size > max)
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
    );
  return size;
}

/** SendMessage's sender: the caller's account (AWS names the IAM principal). */
const senderOf = (ctx: RequestContext) => ctx.region.accountId;

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
const sendMessage: Handler<SendMessageCommandInput, Out<SendMessageCommandOutput>> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  checkMessage(queue, input.MessageBody, input.DelaySeconds, input.MessageAttributes);
  const m = enqueue(ctx.region, queue, {
    body: input.MessageBody!,
    attributes: input.MessageAttributes,
    delaySeconds: input.DelaySeconds,
    senderId: senderOf(ctx),
  });
  return {
    MessageId: m.id,
    MD5OfMessageBody: m.md5OfBody,
    MD5OfMessageAttributes: Object.keys(m.attributes).length
      ? md5OfMessageAttributes(m.attributes)
      : undefined,
  };
};

/** Batch entries: 1 to 10, distinct ids of at most 80 word characters or hyphens. */
function checkBatch(entries: readonly { Id?: string | undefined }[] | undefined): void {
  if (!entries || entries.length === 0) throw emptyBatchRequest();
  if (entries.length > 10) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!Id || !/^[A-Za-z0-9_-]{1,80}$/.test(Id)) throw invalidBatchEntryId();
    if (seen.has(Id)) throw batchEntryIdsNotDistinct(Id);
    seen.add(Id);
  }
}

/** A failed batch entry as AWS reports it: the code, the message, and whether the caller is at fault. */
function failure(Id: string, error: unknown): BatchResultErrorEntry {
  if (!(error instanceof AwsError)) throw error;
  return { Id, Code: error.code, Message: error.message, SenderFault: error.status < 500 };
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
const sendMessageBatch: Handler<SendMessageBatchCommandInput, Out<SendMessageBatchCommandOutput>> = (
  input,
  ctx,
) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  checkBatch(input.Entries);
  const entries = input.Entries!;
  const Successful: SendMessageBatchCommandOutput['Successful'] = [];
  const Failed: BatchResultErrorEntry[] = [];
  const sizes = entries.map((e) => {
    try {
      return checkMessage(queue, e.MessageBody, e.DelaySeconds, e.MessageAttributes);
    } catch (error) {
      Failed.push(failure(e.Id!, error));
      return 0;
    }
  });
  const max = numberAttribute(queue, 'MaximumMessageSize');
  if (sizes.reduce((a, b) => a + b, 0) > max) throw batchRequestTooLong(max);
  for (const e of entries) {
    if (Failed.some((f) => f.Id === e.Id)) continue;
    const m = enqueue(ctx.region, queue, {
      body: e.MessageBody!,
      attributes: e.MessageAttributes,
      delaySeconds: e.DelaySeconds,
      senderId: senderOf(ctx),
    });
    Successful.push({
      Id: e.Id!,
      MessageId: m.id,
      MD5OfMessageBody: m.md5OfBody,
      MD5OfMessageAttributes: Object.keys(m.attributes).length
        ? md5OfMessageAttributes(m.attributes)
        : undefined,
    });
  }
  return { Successful, Failed };
};

/** A receipt handle names the queue, the message and the receive, so a stale one is recognized. */
function newReceiptHandle(queue: Queue, m: SqsMessage): string {
  const raw = `${queue.arn} ${m.id} ${queue.nextHandle++} ${randomBytes(6).toString('hex')}`;
  return Buffer.from(raw).toString('base64');
}

function messageOfHandle(queue: Queue, handle: string | undefined): SqsMessage | undefined {
  if (!handle) throw missingParameter('ReceiptHandle');
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
  if (parts.length !== 4 || !parts[0]!.startsWith('arn:aws:sqs:')) throw receiptHandleIsInvalid(handle);
  if (parts[0] !== queue.arn) throw receiptHandleIsInvalid(handle);
  return queue.messages.get(parts[1]!);
}

/** Takes up to `max` visible messages, oldest first, and hides them for `visibilityMs`. */
function take(queue: Queue, now: number, max: number, visibilityMs: number): SqsMessage[] {
  expire(queue, now);
  const out: SqsMessage[] = [];
  for (const m of queue.messages.values()) {
    if (out.length >= max) break;
    if (m.visibleAt <= now) out.push(m);
  }
  for (const m of out) {
    m.receiveCount++;
    m.firstReceiveAt ??= now;
    m.visibleAt = now + visibilityMs;
    m.receiptHandle = newReceiptHandle(queue, m);
  }
  return out;
}

const systemAttributeNames = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
];

/** A received message with the system and message attributes the request asked for. */
function received(m: SqsMessage, input: ReceiveMessageCommandInput): Message {
  const asked = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])] as string[];
  const all = asked.includes('All');
  const system: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
  };
  const Attributes: Record<string, string> = {};
  for (const n of systemAttributeNames) if (all || asked.includes(n)) Attributes[n] = system[n]!;
  // MessageAttributeNames: All or .* for every one, `prefix.*` for a family, else exact names.
  const names = input.MessageAttributeNames ?? [];
  const wanted = (name: string) =>
    names.some(
      (n) => n === 'All' || n === '.*' || n === name || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))),
    );
  const MessageAttributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(m.attributes)) if (wanted(name)) MessageAttributes[name] = value;
  const hasAttributes = Object.keys(MessageAttributes).length > 0;
  return {
    MessageId: m.id,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    Attributes: Object.keys(Attributes).length ? Attributes : undefined,
    MD5OfMessageAttributes: hasAttributes ? md5OfMessageAttributes(MessageAttributes) : undefined,
    MessageAttributes: hasAttributes ? MessageAttributes : undefined,
  };
}

function bounded(name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
    throw invalidParameter(name, value, `Must be >= ${min} and <= ${max}, if provided.`);
  return value;
}

/**
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html.
 * Long polling (WaitTimeSeconds, else the queue's ReceiveMessageWaitTimeSeconds) answers as soon as a
 * message is visible, or empty at the deadline on the emulator's clock, or when the queue is deleted,
 * the emulator resets or closes, or the client goes away.
 */
const receiveMessage: Handler<ReceiveMessageCommandInput, Out<ReceiveMessageCommandOutput>> = (
  input,
  ctx,
) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  const max = bounded('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10) ?? 1;
  const visibility =
    bounded('VisibilityTimeout', input.VisibilityTimeout, 0, 43_200) ??
    numberAttribute(queue, 'VisibilityTimeout');
  const wait =
    bounded('WaitTimeSeconds', input.WaitTimeSeconds, 0, 20) ??
    numberAttribute(queue, 'ReceiveMessageWaitTimeSeconds');
  // An empty receive answers no Messages member at all, as SQS does.
  const answer = (messages: SqsMessage[]) =>
    messages.length ? { Messages: messages.map((m) => received(m, input)) } : {};
  const now = ctx.clock.now();
  const got = take(queue, now, max, visibility * 1000);
  if (got.length > 0 || wait === 0 || ctx.signal?.aborted) return answer(got);
  const polls = longPolls(ctx.region.env).waiters;
  return new Promise((resolve) => {
    let done = false;
    const finish = (messages: SqsMessage[]) => {
      if (done) return;
      done = true;
      queue.waiters.delete(waiter);
      polls.delete(waiter);
      cancelDeadline();
      ctx.signal?.removeEventListener('abort', onAbort);
      resolve(answer(messages));
    };
    const waiter: Waiter = {
      poll() {
        const messages = take(queue, ctx.clock.now(), max, visibility * 1000);
        if (messages.length === 0) return false;
        finish(messages);
        return true;
      },
      end: () => finish([]),
    };
    const onAbort = () => finish([]);
    const cancelDeadline = ctx.region.env.at(now + wait * 1000, () => finish([]));
    ctx.signal?.addEventListener('abort', onAbort);
    queue.waiters.add(waiter);
    polls.add(waiter);
    wake(ctx.region, queue);
  });
};

function deleteOne(queue: Queue, handle: string | undefined): void {
  const m = messageOfHandle(queue, handle);
  // Only the latest receive's handle deletes; an older one succeeds and deletes nothing, as AWS says.
  if (m && m.receiptHandle === handle) queue.messages.delete(m.id);
}

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
const deleteMessage: Handler<DeleteMessageCommandInput, Out<DeleteMessageCommandOutput>> = (input, ctx) => {
  deleteOne(findQueue(ctx.region, input.QueueUrl), input.ReceiptHandle);
  return {};
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
const deleteMessageBatch: Handler<DeleteMessageBatchCommandInput, Out<DeleteMessageBatchCommandOutput>> = (
  input,
  ctx,
) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  checkBatch(input.Entries);
  const Successful: { Id: string }[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const e of input.Entries!) {
    try {
      deleteOne(queue, e.ReceiptHandle);
      Successful.push({ Id: e.Id! });
    } catch (error) {
      Failed.push(failure(e.Id!, error));
    }
  }
  return { Successful, Failed };
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
const changeMessageVisibility: Handler<
  ChangeMessageVisibilityCommandInput,
  Out<ChangeMessageVisibilityCommandOutput>
> = (input, ctx) => {
  const queue = findQueue(ctx.region, input.QueueUrl);
  const timeout = bounded('VisibilityTimeout', input.VisibilityTimeout, 0, 43_200);
  if (timeout === undefined) throw missingParameter('VisibilityTimeout');
  const m = messageOfHandle(queue, input.ReceiptHandle);
  const now = ctx.clock.now();
  if (!m || m.receiptHandle !== input.ReceiptHandle || m.visibleAt <= now) throw messageNotInflight();
  m.visibleAt = now + timeout * 1000;
  wake(ctx.region, queue);
  return {};
};

export const messageHandlers: HandlerMap = {
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
};
