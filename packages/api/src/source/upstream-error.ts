import { classifyAwsError } from '@aws-trpc/shared';

/** The AWS error code and message of anything thrown by an SDK call (the SDK sets `name` to the code). */
export function errorSummary(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { Code?: string }).Code ?? error.name;
    return { code: code || 'Error', message: error.message };
  }
  return { code: 'Error', message: String(error) };
}

/**
 * Errors a retry cannot fix: permissions and validation. Waiters fail fast on them instead of running out
 * the clock. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
export function isNonRetryable(code: string): boolean {
  return (
    code === 'AccessDenied' ||
    code === 'AccessDeniedException' ||
    code === 'UnauthorizedOperation' ||
    code === 'AuthFailure' ||
    code === 'InvalidClientTokenId' ||
    code === 'OptInRequired' ||
    code === 'ValidationError' ||
    code === 'MissingParameter' ||
    code === 'InvalidParameterValue' ||
    code === 'InvalidParameterCombination' ||
    code === 'InvalidParameter' ||
    code === 'UnknownParameter' ||
    code === 'InvalidAction' ||
    code === 'InvalidFilter' ||
    code.startsWith('InvalidParameter') ||
    code.endsWith('.Malformed')
  );
}

/** NotFound is eventual consistency right after a create (shared's table), so it is retried for a short grace only. */
export function isNotFound(code: string): boolean {
  return classifyAwsError(code) === 'eventual-consistency';
}
