import { describe, expect, it } from 'vitest';
import { ec2ErrorCodes } from '../src/ec2-error-codes';
import { awsErrorData, catalog, classifyAwsError, mapAwsErrorToTrpcCode } from '../src/index';

describe('mapAwsErrorToTrpcCode', () => {
  it.each([
    ['InvalidInstanceID.NotFound', 400, 'NOT_FOUND'],
    ['InvalidAMIID.NotFound', 400, 'NOT_FOUND'],
    ['InvalidLaunchTemplateName.NotFoundException', 400, 'NOT_FOUND'],
    ['LoadBalancerNotFound', 400, 'NOT_FOUND'],
    ['AuthFailure', 401, 'BAD_GATEWAY'],
    ['InvalidClientTokenId', 403, 'BAD_GATEWAY'],
    ['SignatureDoesNotMatch', 403, 'BAD_GATEWAY'],
    ['UnauthorizedOperation', 403, 'FORBIDDEN'],
    ['OperationNotPermitted', 400, 'FORBIDDEN'],
    ['RequestLimitExceeded', 503, 'TOO_MANY_REQUESTS'],
    ['Throttling', 400, 'TOO_MANY_REQUESTS'],
    ['SomethingNew', 429, 'TOO_MANY_REQUESTS'],
    ['InvalidParameterValue', 400, 'BAD_REQUEST'],
    ['MissingParameter', 400, 'BAD_REQUEST'],
    ['ValidationError', 400, 'BAD_REQUEST'],
    ['InvalidInstanceID.Malformed', 400, 'BAD_REQUEST'],
    ['InstanceLimitExceeded', 400, 'BAD_REQUEST'],
    ['IncorrectInstanceState', 400, 'CONFLICT'],
    ['IncorrectState', 400, 'CONFLICT'],
    ['InvalidGroup.InUse', 400, 'CONFLICT'],
    ['VolumeInUse', 400, 'CONFLICT'],
    ['DependencyViolation', 400, 'CONFLICT'],
    ['InvalidKeyPair.Duplicate', 400, 'CONFLICT'],
    ['DuplicateLoadBalancerName', 400, 'CONFLICT'],
    ['IdempotentParameterMismatch', 400, 'CONFLICT'],
    ['InvalidConfigurationRequest', 409, 'CONFLICT'],
    ['DryRunOperation', 412, 'PRECONDITION_FAILED'],
    ['InternalError', 500, 'BAD_GATEWAY'],
    ['SomethingBroke', 502, 'BAD_GATEWAY'],
    ['ServiceUnavailable', 503, 'SERVICE_UNAVAILABLE'],
    ['Unavailable', 503, 'SERVICE_UNAVAILABLE'],
    ['SomethingDown', 503, 'SERVICE_UNAVAILABLE'],
    ['InsufficientInstanceCapacity', 500, 'SERVICE_UNAVAILABLE'],
    ['ECONNREFUSED', undefined, 'SERVICE_UNAVAILABLE'],
    ['TimeoutError', undefined, 'SERVICE_UNAVAILABLE'],
    ['SomethingElse', 400, 'BAD_REQUEST'],
  ] as const)('%s (HTTP %s) is %s', (code, status, trpcCode) => {
    expect(mapAwsErrorToTrpcCode(code, status)).toBe(trpcCode);
  });

  it('maps every ELB error code the SDK models by its family', () => {
    for (const { code, httpStatus } of catalog.elb.errors) {
      const mapped = mapAwsErrorToTrpcCode(code, httpStatus);
      if (code.endsWith('NotFound')) expect(mapped, code).toBe('NOT_FOUND');
      else if (code.startsWith('Duplicate')) expect(mapped, code).toBe('CONFLICT');
      else if (code === 'DependencyThrottle') expect(mapped, code).toBe('TOO_MANY_REQUESTS');
      else if (code === 'OperationNotPermitted') expect(mapped, code).toBe('FORBIDDEN');
      else expect(['BAD_REQUEST', 'CONFLICT'], code).toContain(mapped);
    }
  });

  it("never maps a known EC2 client error to a server-side code, except refusals of the gateway's own credentials", () => {
    const serverSide = new Set(['BAD_GATEWAY', 'SERVICE_UNAVAILABLE']);
    // AuthFailure and its kin are about the gateway's credentials, not the caller's request: BAD_GATEWAY.
    const serverCodes =
      /^(Insufficient\w*Capacity|InternalError|InternalFailure|ServiceUnavailable|Unavailable|AuthFailure|IncompleteSignature|InvalidClientTokenId|MissingAuthenticationToken|RequestExpired)$/;
    for (const code of ec2ErrorCodes) {
      expect(serverSide.has(mapAwsErrorToTrpcCode(code, 400)), code).toBe(serverCodes.test(code));
    }
  });
});

describe('classifyAwsError', () => {
  it.each([
    ['RequestLimitExceeded', 503, 'throttling'],
    ['Throttling', 400, 'throttling'],
    ['Anything', 429, 'throttling'],
    ['InvalidInstanceID.NotFound', 400, 'eventual-consistency'],
    ['LoadBalancerNotFound', 400, 'eventual-consistency'],
    ['InternalError', 500, 'retryable'],
    ['Unknown', 502, 'retryable'],
    ['InsufficientInstanceCapacity', 500, 'retryable'],
    ['ECONNREFUSED', undefined, 'retryable'],
    ['InvalidParameterValue', 400, 'permanent'],
    ['UnauthorizedOperation', 403, 'permanent'],
    ['DryRunOperation', 412, 'permanent'],
    ['IncorrectInstanceState', 400, 'permanent'],
  ] as const)('%s (HTTP %s) is %s', (code, status, classification) => {
    expect(classifyAwsError(code, status)).toBe(classification);
  });
});

describe('awsErrorData', () => {
  it('carries code, message, request id, status, classification and retryable', () => {
    expect(
      awsErrorData({
        code: 'RequestLimitExceeded',
        message: 'Request limit exceeded.',
        requestId: 'r-1',
        httpStatusCode: 503,
      }),
    ).toEqual({
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
      requestId: 'r-1',
      httpStatusCode: 503,
      retryable: true,
      classification: 'throttling',
    });
    expect(
      awsErrorData({ code: 'InvalidInstanceID.NotFound', message: 'gone', httpStatusCode: 400 }),
    ).toMatchObject({
      requestId: undefined,
      retryable: false,
      classification: 'eventual-consistency',
    });
    expect(awsErrorData({ code: 'InternalError', message: 'x', httpStatusCode: 500 }).retryable).toBe(true);
    expect(awsErrorData({ code: 'MissingParameter', message: 'x', httpStatusCode: 400 }).retryable).toBe(
      false,
    );
  });
});
