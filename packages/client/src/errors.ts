import type { AwsErrorClassification, AwsErrorCode, AwsErrorData } from '@aws-trpc/shared';

export type { AwsErrorClassification, AwsErrorCode, AwsErrorData };

/** A TRPCClientError that carries the AWS error `C` in `data.aws`. */
export interface AwsError<C extends string = AwsErrorCode> extends Error {
  readonly data: { code: string; httpStatus?: number; aws: Omit<AwsErrorData, 'code'> & { code: C } };
}

/** The AWS error inside `err`, if it is a gateway error that carries one. */
export function awsErrorOf(err: unknown): AwsErrorData | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const aws = (err as { data?: { aws?: unknown } | null }).data?.aws;
  if (typeof aws !== 'object' || aws === null || typeof (aws as { code?: unknown }).code !== 'string')
    return undefined;
  return aws as AwsErrorData;
}

/**
 * True when `err` carries an AWS error, and, given codes, one of them; narrows `err.data.aws.code`.
 * The known codes of both services autocomplete; any other string is accepted.
 * Duck-typed rather than `instanceof TRPCClientError`, so two copies of @trpc/client still agree.
 */
export function isAwsError<const C extends AwsErrorCode = AwsErrorCode>(
  err: unknown,
  code?: C | readonly C[],
): err is AwsError<C> {
  const aws = awsErrorOf(err);
  if (!aws) return false;
  if (code === undefined) return true;
  return typeof code === 'string' ? aws.code === code : (code as readonly string[]).includes(aws.code);
}

/**
 * How a caller should treat `err`: the gateway's classification of an AWS error; a request that got
 * no answer at all (connection lost, gateway unreachable) is retryable; anything else is permanent.
 */
export function classifyError(err: unknown): AwsErrorClassification {
  const aws = awsErrorOf(err);
  if (aws) return aws.classification;
  return isTransportFailure(err) ? 'retryable' : 'permanent';
}

/** A tRPC client error with no server answer: the request may or may not have reached the gateway. */
export function isTransportFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; data?: unknown; shape?: unknown };
  return e.name === 'TRPCClientError' && e.data == null && e.shape == null;
}
