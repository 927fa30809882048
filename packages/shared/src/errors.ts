/**
 * AWS error codes, their classification and their tRPC error code. Pure functions, no I/O.
 * EC2's codes: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * ELB's codes come from the SDK's error schemas (`awsQueryError` trait), via the generated catalog.
 */
import type { elbErrors } from './catalog.generated';
import type { ServiceName } from './catalog-types';
import type { Ec2ErrorCode } from './ec2-error-codes';

export type { Ec2ErrorCode } from './ec2-error-codes';
/** ELB's own codes plus the AWS Query protocol's common ones (auth, throttling, validation). */
export type ElbErrorCode =
  | (typeof elbErrors)[number]['code']
  | 'AccessDenied'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'Throttling'
  | 'ValidationError'
  | 'InternalFailure'
  | 'ServiceUnavailable';
/** A known code of the service, or any other string AWS may add. */
export type AwsErrorCode<S extends ServiceName = ServiceName> =
  | (S extends 'ec2' ? Ec2ErrorCode : ElbErrorCode)
  | (string & {});

/**
 * - throttling: slow down and retry (RequestLimitExceeded, Throttling, HTTP 429).
 * - retryable: a server-side or network fault; the same request may succeed later.
 * - eventual-consistency: a `NotFound` for a resource that may just have been created; EC2's API is
 *   eventually consistent, so retry briefly if you created it yourself, otherwise it is really gone.
 *   https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 * - permanent: the request itself is wrong or not allowed; retrying will not help.
 */
export type AwsErrorClassification = 'retryable' | 'eventual-consistency' | 'permanent' | 'throttling';

/** The tRPC error codes this mapping produces (a subset of tRPC's TRPC_ERROR_CODE_KEY). */
export type MappedTrpcCode =
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'TOO_MANY_REQUESTS'
  | 'BAD_GATEWAY'
  | 'SERVICE_UNAVAILABLE';

/** What the gateway puts in `error.data.aws` for every AWS error. */
export interface AwsErrorData<S extends ServiceName = ServiceName> {
  code: AwsErrorCode<S>;
  message: string;
  requestId: string | undefined;
  httpStatusCode: number | undefined;
  /** true for `throttling` and `retryable` */
  retryable: boolean;
  classification: AwsErrorClassification;
}

const THROTTLING = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'DependencyThrottle',
]);

const UNAUTHENTICATED = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'CredentialsProviderError',
]);

const FORBIDDEN = new Set([
  'UnauthorizedOperation',
  'AccessDenied',
  'AccessDeniedException',
  'OptInRequired',
  'Blocked',
  'PendingVerification',
  'OperationNotPermitted',
]);

/** AWS says these mean "try again later", usually in another zone: no capacity right now. */
const NO_CAPACITY = /^Insufficient\w*Capacity$/;

const UNAVAILABLE = new Set(['ServiceUnavailable', 'Unavailable', 'ServiceUnavailableException']);
const SERVER_FAULT = new Set(['InternalError', 'InternalFailure', 'InternalServerError', 'ServerInternal']);

/** Node and SDK names for a request that never got an answer (the endpoint is down or unreachable). */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);

/** IncorrectInstanceState, InvalidGroup.InUse, DependencyViolation, InvalidKeyPair.Duplicate, … */
function isConflict(code: string): boolean {
  return (
    code === 'DependencyViolation' ||
    code === 'IdempotentParameterMismatch' ||
    code === 'ConcurrentTagAccess' ||
    code === 'ResourceAlreadyAssociated' ||
    code === 'InvalidStateTransition' ||
    code === 'InvalidState' ||
    /^Incorrect\w*State$/.test(code) ||
    /InUse$/.test(code) ||
    /(^Duplicate|\.Duplicate$)/.test(code) ||
    /AlreadyExists(Exception)?$/.test(code) ||
    /\.Conflict$/.test(code)
  );
}

/** InvalidInstanceID.NotFound, InvalidLaunchTemplateName.NotFoundException, LoadBalancerNotFound, … */
function isNotFound(code: string): boolean {
  return /NotFound(Exception)?$/.test(code);
}

export function classifyAwsError(code: string, httpStatus?: number): AwsErrorClassification {
  if (THROTTLING.has(code) || httpStatus === 429) return 'throttling';
  if (isNotFound(code)) return 'eventual-consistency';
  if (NO_CAPACITY.test(code) || UNAVAILABLE.has(code) || SERVER_FAULT.has(code) || NETWORK.has(code)) {
    return 'retryable';
  }
  if (code === 'DryRunOperation') return 'permanent';
  if (httpStatus !== undefined && httpStatus >= 500) return 'retryable';
  return 'permanent';
}

/**
 * The tRPC error code for an AWS error (issue 2's table). Codes decide first, the HTTP status only when
 * the code is unknown.
 *
 * DryRunOperation is PRECONDITION_FAILED: with `DryRun: true` AWS answers "the request would have
 * succeeded" as an error (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonParameters.html).
 * No other AWS error maps to PRECONDITION_FAILED, so a caller can tell a passed dry run by that code
 * (and `data.aws.code === 'DryRunOperation'`), while a failed one carries UnauthorizedOperation (FORBIDDEN).
 */
export function mapAwsErrorToTrpcCode(code: string, httpStatus?: number): MappedTrpcCode {
  if (code === 'DryRunOperation') return 'PRECONDITION_FAILED';
  if (THROTTLING.has(code) || httpStatus === 429) return 'TOO_MANY_REQUESTS';
  // AWS refused the gateway's own credentials: not the caller's token (that is UNAUTHORIZED), so an
  // upstream failure. Retrying does not help until an operator fixes the gateway's credentials.
  if (UNAUTHENTICATED.has(code)) return 'BAD_GATEWAY';
  if (FORBIDDEN.has(code)) return 'FORBIDDEN';
  if (isNotFound(code)) return 'NOT_FOUND';
  if (isConflict(code)) return 'CONFLICT';
  if (NO_CAPACITY.test(code) || UNAVAILABLE.has(code) || NETWORK.has(code) || httpStatus === 503) {
    return 'SERVICE_UNAVAILABLE';
  }
  if (SERVER_FAULT.has(code) || (httpStatus !== undefined && httpStatus >= 500)) return 'BAD_GATEWAY';
  if (httpStatus === 401) return 'BAD_GATEWAY';
  if (httpStatus === 403) return 'FORBIDDEN';
  if (httpStatus === 404) return 'NOT_FOUND';
  if (httpStatus === 409) return 'CONFLICT';
  if (httpStatus === undefined) return 'BAD_GATEWAY';
  return 'BAD_REQUEST';
}

/** Builds `error.data.aws` from what the SDK's ServiceException carries (`name`, `$metadata`). */
export function awsErrorData<S extends ServiceName = ServiceName>(error: {
  code: string;
  message: string;
  requestId?: string | undefined;
  httpStatusCode?: number | undefined;
}): AwsErrorData<S> {
  const classification = classifyAwsError(error.code, error.httpStatusCode);
  return {
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    httpStatusCode: error.httpStatusCode,
    retryable: classification === 'retryable' || classification === 'throttling',
    classification,
  };
}
