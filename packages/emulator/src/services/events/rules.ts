import type {
  DeleteRuleCommandInput,
  DeleteRuleCommandOutput,
  DescribeRuleCommandInput,
  DescribeRuleCommandOutput,
  DisableRuleCommandInput,
  DisableRuleCommandOutput,
  EnableRuleCommandInput,
  EnableRuleCommandOutput,
  ListRulesCommandInput,
  ListRulesCommandOutput,
  PutRuleCommandInput,
  PutRuleCommandOutput,
  Rule as RuleShape,
  RuleState,
} from '@aws-sdk/client-eventbridge';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { constraint, ruleHasTargets, validation } from './errors';
import { compilePattern } from './event-pattern';
import { checkBus, checkRuleName, findRule, type Rule, ruleArn, rulesOf } from './rule-state';

/** PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule. */

const states: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

/**
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html. Creates or replaces
 * a rule: arguments left out of an update are not kept, as AWS says. A schedule is accepted and
 * stored but never fires in the emulator.
 */
const putRule: Handler<PutRuleCommandInput, Out<PutRuleCommandOutput>> = (input, ctx) => {
  const name = checkRuleName(input.Name);
  checkBus(ctx.region, input.EventBusName);
  if (!input.EventPattern && !input.ScheduleExpression)
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (input.ScheduleExpression && !/^(rate|cron)\(.+\)$/.test(input.ScheduleExpression))
    throw validation('Parameter ScheduleExpression is not valid.');
  const state = input.State ?? 'ENABLED';
  if (!states.includes(state))
    throw constraint('state', state, `Member must satisfy enum value set: [${states.join(', ')}]`);
  if ((input.Description ?? '').length > 512)
    throw constraint('description', input.Description, 'Member must have length less than or equal to 512');
  const matcher = input.EventPattern ? compilePattern(input.EventPattern) : undefined;
  const rules = rulesOf(ctx.region);
  const existing = rules.get(name);
  const rule: Rule = {
    name,
    arn: ruleArn(ctx.region, name),
    eventPattern: input.EventPattern,
    matcher,
    scheduleExpression: input.ScheduleExpression,
    state,
    description: input.Description,
    roleArn: input.RoleArn,
    targets: existing?.targets ?? new Map(),
    tags: existing?.tags ?? new Map(),
  };
  for (const t of input.Tags ?? []) if (t.Key) rule.tags.set(t.Key, t.Value ?? '');
  rules.set(name, rule);
  return { RuleArn: rule.arn };
};

function shapeOf(rule: Rule): RuleShape {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    State: rule.state,
    Description: rule.description,
    ScheduleExpression: rule.scheduleExpression,
    RoleArn: rule.roleArn,
    EventBusName: 'default',
  };
}

const describeRule: Handler<DescribeRuleCommandInput, Out<DescribeRuleCommandOutput>> = (input, ctx) => {
  const rule = findRule(ctx.region, input.Name, input.EventBusName);
  return { ...shapeOf(rule), CreatedBy: ctx.region.accountId };
};

/** Rules by name, NamePrefix filtered, paged by Limit (1–100) and an opaque NextToken. */
const listRules: Handler<ListRulesCommandInput, Out<ListRulesCommandOutput>> = (input, ctx) => {
  checkBus(ctx.region, input.EventBusName);
  const limit = input.Limit ?? 100;
  if (limit < 1 || limit > 100) throw constraint('limit', limit, 'Member must have value between 1 and 100');
  const after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : '';
  const names = [...rulesOf(ctx.region).keys()]
    .filter((n) => n.startsWith(input.NamePrefix ?? '') && n > after)
    .sort();
  const page = names.slice(0, limit);
  return {
    Rules: page.map((n) => shapeOf(rulesOf(ctx.region).get(n)!)),
    NextToken: names.length > page.length ? Buffer.from(page.at(-1)!).toString('base64url') : undefined,
  };
};

const enableRule: Handler<EnableRuleCommandInput, Out<EnableRuleCommandOutput>> = (input, ctx) => {
  findRule(ctx.region, input.Name, input.EventBusName).state = 'ENABLED';
  return {};
};

const disableRule: Handler<DisableRuleCommandInput, Out<DisableRuleCommandOutput>> = (input, ctx) => {
  findRule(ctx.region, input.Name, input.EventBusName).state = 'DISABLED';
  return {};
};

/** A rule with targets is refused, as AWS does; deleting a rule that does not exist succeeds. */
const deleteRule: Handler<DeleteRuleCommandInput, Out<DeleteRuleCommandOutput>> = (input, ctx) => {
  const name = checkRuleName(input.Name);
  checkBus(ctx.region, input.EventBusName);
  const rule = rulesOf(ctx.region).get(name);
  if (!rule) return {};
  if (rule.targets.size > 0) throw ruleHasTargets();
  rulesOf(ctx.region).delete(name);
  return {};
};

export const ruleHandlers: HandlerMap = {
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  EnableRule: enableRule,
  DisableRule: disableRule,
  DeleteRule: deleteRule,
};
