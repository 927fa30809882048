import type { RuleState, Target } from '@aws-sdk/client-eventbridge';
import type { Region } from '../../core/types';
import { busNotFound, constraint, ruleNotFound } from './errors';
import type { EventMatcher } from './event-pattern';

/** The rules of a region's default event bus and their targets. */
export interface Rule {
  name: string;
  arn: string;
  eventPattern?: string | undefined;
  matcher?: EventMatcher | undefined;
  scheduleExpression?: string | undefined;
  state: RuleState;
  description?: string | undefined;
  roleArn?: string | undefined;
  targets: Map<string, Target>;
  tags: Map<string, string>;
}

export const rulesOf = (region: Region) => region.slot('events.rules', () => new Map<string, Rule>());

/**
 * The emulator has each region's `default` bus only, named or by ARN; another bus does not exist.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus.html
 */
export function checkBus(region: Region, name: string | undefined): 'default' {
  if (name === undefined || name === 'default') return 'default';
  if (name === `arn:aws:events:${region.name}:${region.accountId}:event-bus/default`) return 'default';
  throw busNotFound(name);
}

export function checkRuleName(name: string | undefined, field = 'name'): string {
  if (!name || name.length > 64 || !/^[.\-_A-Za-z0-9]+$/.test(name))
    throw constraint(
      field,
      name ?? 'null',
      'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+',
    );
  return name;
}

export function findRule(region: Region, name: string | undefined, bus?: string): Rule {
  checkBus(region, bus);
  const rule = rulesOf(region).get(checkRuleName(name));
  if (!rule) throw ruleNotFound(name!);
  return rule;
}

export const ruleArn = (region: Region, name: string) =>
  `arn:aws:events:${region.name}:${region.accountId}:rule/${name}`;

/** An enabled rule receives events; ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is enabled too. */
export const isEnabled = (rule: Rule) => rule.state !== 'DISABLED';
