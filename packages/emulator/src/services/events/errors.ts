import { AwsError } from '../../core/errors';

/**
 * EventBridge's errors by the SDK's shape names, with AWS's messages.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html
 */
export const ruleNotFound = (name: string, bus = 'default') =>
  new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);

export const busNotFound = (name: string) =>
  new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);

export const validation = (message: string) => new AwsError('ValidationException', message);

/** "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: …" */
export const constraint = (field: string, value: unknown, rule: string) =>
  validation(
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`,
  );

export const ruleHasTargets = () => validation("Rule can't be deleted since it has targets.");

export const invalidEventPattern = (reason: string) =>
  new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);

export const limitExceeded = () =>
  new AwsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
