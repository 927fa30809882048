import { randomUUID } from 'node:crypto';
import type {
  PutEventsCommandInput,
  PutEventsCommandOutput,
  PutEventsRequestEntry,
  PutEventsResultEntry,
  TestEventPatternCommandInput,
  TestEventPatternCommandOutput,
} from '@aws-sdk/client-eventbridge';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { type BusEvent, eventTime, publish } from './bus';
import { constraint, validation } from './errors';
import { compilePattern } from './event-pattern';
import { checkBus } from './rule-state';

/** PutEvents (custom events, matched against the rules like EC2's) and TestEventPattern. */

function entryError(ErrorCode: string, ErrorMessage: string): PutEventsResultEntry {
  return { ErrorCode, ErrorMessage };
}

/** The event an entry makes, or why it is refused (AWS answers per entry, not for the call). */
function eventOf(region: Region, entry: PutEventsRequestEntry, now: number): BusEvent | PutEventsResultEntry {
  try {
    checkBus(region, entry.EventBusName);
  } catch (error) {
    return entryError('InvalidArgument', (error as Error).message);
  }
  for (const [name, value] of [
    ['Source', entry.Source],
    ['DetailType', entry.DetailType],
    ['Detail', entry.Detail],
  ] as const)
    if (!value)
      return entryError(
        'InvalidArgument',
        `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
      );
  // Only AWS services send aws.* events.
  if (entry.Source!.startsWith('aws.'))
    return entryError('NotAuthorizedForSourceException', 'Not authorized for the source.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail!);
  } catch {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail))
    return entryError('MalformedDetail', 'Detail is malformed.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType!,
    source: entry.Source!,
    account: region.accountId,
    time: eventTime(entry.Time?.getTime() ?? now),
    region: region.name,
    resources: entry.Resources ?? [],
    detail,
  };
}

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
const putEvents: Handler<PutEventsCommandInput, Out<PutEventsCommandOutput>> = (input, ctx) => {
  const entries = input.Entries ?? [];
  if (entries.length < 1 || entries.length > 10)
    throw constraint('entries', `[${entries.length} entries]`, 'Member must have length between 1 and 10');
  const now = ctx.clock.now();
  const results = entries.map((entry): PutEventsResultEntry => {
    const event = eventOf(ctx.region, entry, now);
    if (!('id' in event)) return event;
    publish(ctx.region, event);
    return { EventId: event.id };
  });
  return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
};

const requiredEventFields = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
const testEventPattern: Handler<TestEventPatternCommandInput, Out<TestEventPatternCommandOutput>> = (
  input,
) => {
  const matcher = compilePattern(input.EventPattern ?? '');
  let event: unknown;
  try {
    event = JSON.parse(input.Event ?? '');
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  if (!event || typeof event !== 'object' || Array.isArray(event))
    throw validation('Parameter Event is not valid.');
  for (const field of requiredEventFields)
    if (!Object.hasOwn(event, field))
      throw validation(
        `Parameter Event is not valid. Reason: Provided Event is missing required field ${field}`,
      );
  return { Result: matcher(event) };
};

export const putEventHandlers: HandlerMap = { PutEvents: putEvents, TestEventPattern: testEventPattern };
