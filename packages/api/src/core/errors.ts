import {
  type AwsErrorData,
  awsErrorData,
  InputValidationError,
  mapAwsErrorToTrpcCode,
  type ServiceName,
  type ValidationIssue,
} from '@aws-trpc/shared';
import {
  type TRPC_ERROR_CODE_KEY,
  type TRPC_ERROR_CODE_NUMBER,
  TRPCError,
  type TRPCErrorFormatter,
} from '@trpc/server';
import { retryAfterSeconds } from '../security/rate-limiter';
import type { GatewayContext } from './context';

/** `error.data` of every gateway error, beside tRPC's own `code`, `httpStatus` and `path`. */
export interface GatewayErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string;
  /** Present when AWS (or the way to it) failed: AWS's code, message, request id, status, retryable. */
  aws: AwsErrorData | null;
  /** Present when the input failed validation: every issue, each naming its path. */
  validation: readonly ValidationIssue[] | null;
  /** Present when the gateway's own rate limit refused the call: seconds to wait (also the Retry-After header). */
  retryAfterSeconds?: number;
}

/** The shape of every gateway error on the wire (tRPC's `error.shape`), as `formatGatewayError` writes it. */
export interface GatewayErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: GatewayErrorData;
}

/** The cause carried by a TRPCError that came from AWS; the error formatter reads it. */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(readonly aws: AwsErrorData) {
    super(aws.message);
  }
}

interface CallSite {
  service: ServiceName;
  operation: string;
  region: string;
  endpoint: string;
}

// Node's socket errors: the endpoint cannot be reached at all.
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  Error?: { Code?: string };
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  cause?: unknown;
}

/** Node wraps socket errors in AggregateError when several addresses were tried (IPv4 and IPv6). */
function socketCode(error: SdkError): string | undefined {
  // The SDK's request timeout is a TimeoutError that also carries code ETIMEDOUT.
  if (error.name === 'TimeoutError') return 'timeout';
  if (error.code && unreachableCodes.has(error.code)) return error.code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = socketCode(inner as SdkError);
      if (code) return code;
    }
  }
  if (error.cause && typeof error.cause === 'object') return socketCode(error.cause as SdkError);
  return undefined;
}

function awsTrpcError(trpc: TRPC_ERROR_CODE_KEY, aws: AwsErrorData): TRPCError {
  return new TRPCError({ code: trpc, message: aws.message, cause: new AwsCallError(aws) });
}

/**
 * Turns whatever an SDK call threw into a TRPCError: service errors keep AWS's code, request id and
 * status in `data.aws`; an endpoint that cannot be reached is SERVICE_UNAVAILABLE naming the endpoint.
 */
export function toTrpcError(thrown: unknown, site: CallSite): TRPCError {
  if (thrown instanceof TRPCError) return thrown;
  const error = (thrown && typeof thrown === 'object' ? thrown : { message: String(thrown) }) as SdkError;

  const socket = socketCode(error);
  if (socket && !error.$fault) {
    const what = socket === 'timeout' ? 'did not answer in time' : `is unreachable (${socket})`;
    const code = socket === 'timeout' ? 'TimeoutError' : socket;
    const message = `${site.service} endpoint ${site.endpoint} (${site.region}) ${what} during ${site.operation}`;
    return awsTrpcError('SERVICE_UNAVAILABLE', awsErrorData({ code, message }));
  }

  // The gateway's own credentials are missing: not the caller's fault, so not UNAUTHORIZED.
  if (error.name === 'CredentialsProviderError') {
    const message = `the gateway has no usable AWS credentials: ${error.message ?? ''}`.trim();
    return awsTrpcError('SERVICE_UNAVAILABLE', awsErrorData({ code: error.name, message }));
  }

  // The SDK could not encode the input (a lone surrogate fails `encodeURIComponent`). The validator
  // refuses such input first; this keeps any that slips past a 400, not a 500.
  if (error.name === 'URIError') {
    return new TRPCError({
      code: 'BAD_REQUEST',
      message: `${site.service}.${site.operation}: the input cannot be encoded for AWS (${error.message ?? 'URIError'})`,
      cause: thrown,
    });
  }

  if (error.$metadata || error.$fault) {
    // AWS Query errors keep the wire code in `Code`; EC2's unmodeled errors carry it as `name`.
    const code = error.Code ?? error.Error?.Code ?? error.name ?? 'Unknown';
    const status = error.$metadata?.httpStatusCode;
    const trpc = mapAwsErrorToTrpcCode(code, status);
    // BAD_GATEWAY for AuthFailure and its kin: AWS refused the gateway's credentials, not the caller's token.
    const refused = trpc === 'BAD_GATEWAY' && (status === 401 || status === 403);
    const message = refused
      ? `AWS refused the gateway's own credentials (${code}); the caller's token is fine, the gateway's AWS credentials need fixing: ${error.message || code}`
      : error.message || code;
    const aws = awsErrorData({
      code,
      message,
      requestId: error.$metadata?.requestId,
      httpStatusCode: status,
    });
    return awsTrpcError(trpc, aws);
  }

  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: `${site.service}.${site.operation} failed: ${error.message ?? 'unknown error'}`,
    cause: thrown,
  });
}

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    if (current instanceof type) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function retryAfterOf(error: unknown): { retryAfterSeconds?: number } {
  const seconds = retryAfterSeconds(error);
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

/** tRPC's errorFormatter: adds `data.aws` and `data.validation`, and drops the stack. */
export const formatGatewayError: TRPCErrorFormatter<GatewayContext, GatewayErrorShape> = ({
  shape,
  error,
}) => {
  const { stack: _stack, ...data } = shape.data as typeof shape.data & { stack?: string };
  return {
    ...shape,
    data: {
      ...data,
      aws: findCause(error, AwsCallError)?.aws ?? null,
      validation: findCause(error, InputValidationError)?.issues ?? null,
      ...retryAfterOf(error),
    },
  };
};
