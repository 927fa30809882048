import type {
  ListTargetsByRuleCommandInput,
  ListTargetsByRuleCommandOutput,
  PutTargetsCommandInput,
  PutTargetsCommandOutput,
  PutTargetsResultEntry,
  RemoveTargetsCommandInput,
  RemoveTargetsCommandOutput,
  Target,
} from '@aws-sdk/client-eventbridge';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { constraint, limitExceeded, validation } from './errors';
import { findRule } from './rule-state';

/** PutTargets, RemoveTargets, ListTargetsByRule. The emulator delivers to SQS queues only. */

/** At most 5 targets per rule: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html */
const maxTargets = 5;

const sqsArn = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$/;

/** `$`, or `$.a.b`: the InputPath forms the emulator evaluates. */
const simplePath = /^\$(\.[A-Za-z0-9_-]+)*$/;

/** Why the emulator cannot take this target, or undefined when it can. */
function unsupported(target: Target): string | undefined {
  if (!sqsArn.test(target.Arn ?? ''))
    return `The aws-trpc emulator delivers to SQS queues only; ${target.Arn} is not an SQS queue ARN.`;
  if (target.InputTransformer) return 'The aws-trpc emulator does not implement InputTransformer.';
  if (target.InputPath !== undefined && !simplePath.test(target.InputPath))
    return `The aws-trpc emulator evaluates InputPath of the form $.a.b only, not ${target.InputPath}.`;
  return undefined;
}

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html
const putTargets: Handler<PutTargetsCommandInput, Out<PutTargetsCommandOutput>> = (input, ctx) => {
  const rule = findRule(ctx.region, input.Rule, input.EventBusName);
  const targets = input.Targets ?? [];
  if (targets.length < 1 || targets.length > 10)
    throw constraint('targets', `[${targets.length} targets]`, 'Member must have length between 1 and 10');
  for (const t of targets) {
    if (!t.Id || t.Id.length > 64 || !/^[.\-_A-Za-z0-9]+$/.test(t.Id))
      throw constraint(
        'targets.member.id',
        t.Id,
        'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
      );
    if (t.Input !== undefined) {
      try {
        JSON.parse(t.Input);
      } catch {
        throw validation(`Input for target ${t.Id} is not valid JSON text.`);
      }
    }
  }
  const FailedEntries: PutTargetsResultEntry[] = [];
  const accepted: Target[] = [];
  for (const t of targets) {
    const why = unsupported(t);
    if (why) FailedEntries.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: why });
    else accepted.push(t);
  }
  const ids = new Set([...rule.targets.keys(), ...accepted.map((t) => t.Id!)]);
  if (ids.size > maxTargets) throw limitExceeded();
  for (const t of accepted) rule.targets.set(t.Id!, t);
  return { FailedEntryCount: FailedEntries.length, FailedEntries };
};

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html
const removeTargets: Handler<RemoveTargetsCommandInput, Out<RemoveTargetsCommandOutput>> = (input, ctx) => {
  const rule = findRule(ctx.region, input.Rule, input.EventBusName);
  const ids = input.Ids ?? [];
  if (ids.length < 1 || ids.length > 100)
    throw constraint('ids', `[${ids.length} ids]`, 'Member must have length between 1 and 100');
  for (const id of ids) rule.targets.delete(id);
  return { FailedEntryCount: 0, FailedEntries: [] };
};

// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html
const listTargetsByRule: Handler<ListTargetsByRuleCommandInput, Out<ListTargetsByRuleCommandOutput>> = (
  input,
  ctx,
) => {
  const rule = findRule(ctx.region, input.Rule, input.EventBusName);
  const limit = input.Limit ?? 100;
  if (limit < 1 || limit > 100) throw constraint('limit', limit, 'Member must have value between 1 and 100');
  const all = [...rule.targets.values()];
  const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString('utf8')) || 0 : 0;
  const page = all.slice(start, start + limit);
  const next = start + page.length;
  return {
    Targets: page,
    NextToken: next < all.length ? Buffer.from(String(next)).toString('base64url') : undefined,
  };
};

export const targetHandlers: HandlerMap = {
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
  ListTargetsByRule: listTargetsByRule,
};
