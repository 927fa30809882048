import { errorShape } from '@aws-trpc/shared/sdk';
import type { ServiceProtocol } from './service-protocol';

/**
 * An error code as a protocol writes it. Handlers throw the SDK's shape name (`QueueDoesNotExist`);
 * an awsQueryCompatible service's query form and `x-amzn-query-error` header carry the shape's
 * `awsQueryError` code instead (`AWS.SimpleQueueService.NonExistentQueue`). Codes the model does
 * not declare (`InvalidParameterValue`) are the same in both.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html
 */
export function queryErrorCode(protocol: ServiceProtocol, code: string): string {
  if (!protocol.queryCompatible) return code;
  return errorShape(protocol.service, code)?.queryCode ?? code;
}

/** JSON's `__type`: the modeled shape with its namespace (`com.amazonaws.sqs#QueueDoesNotExist`), else the code. */
export function jsonErrorType(protocol: ServiceProtocol, code: string): string {
  const shape = errorShape(protocol.service, code);
  return shape ? `${shape.namespace}#${shape.name}` : code;
}
