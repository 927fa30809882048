import { AwsError } from '../../core/errors';

/**
 * SQS's errors, each thrown by the SDK's shape name (the JSON `__type`); the wire layer writes the
 * shape's `awsQueryError` code where the query form and `x-amzn-query-error` need it
 * (QueueDoesNotExist → AWS.SimpleQueueService.NonExistentQueue). Messages are AWS's.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
export const queueDoesNotExist = () =>
  new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const queueNameExists = (attribute: string) =>
  new AwsError(
    'QueueNameExists',
    `A queue already exists with the same name and a different value for attribute ${attribute}`,
  );

export const queueDeletedRecently = () =>
  new AwsError(
    'QueueDeletedRecently',
    'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
  );

export const invalidAddress = (url: string) =>
  new AwsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, 404);

export const invalidAttributeName = (name: string) =>
  new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);

export const invalidAttributeValue = (name: string, reason?: string) =>
  new AwsError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
  );

export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValue', message);

/** "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: …" */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

export const missingParameter = (name: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}.`);

export const invalidMessageContents = () =>
  new AwsError(
    'InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
  );

export const receiptHandleIsInvalid = (handle: string) =>
  new AwsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
    404,
  );

export const messageNotInflight = () =>
  new AwsError('MessageNotInflight', 'The message referred to is not in flight.');

export const purgeQueueInProgress = (url: string) =>
  new AwsError(
    'PurgeQueueInProgress',
    `Only one PurgeQueue operation on ${url} is allowed every 60 seconds.`,
    403,
  );

export const emptyBatchRequest = () =>
  new AwsError('EmptyBatchRequest', 'There should be at least one entry in the request.');

export const tooManyEntriesInBatchRequest = (n: number) =>
  new AwsError(
    'TooManyEntriesInBatchRequest',
    `Maximum number of entries per request are 10. You have sent ${n}.`,
  );

export const batchEntryIdsNotDistinct = (id: string) =>
  new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);

export const invalidBatchEntryId = () =>
  new AwsError(
    'InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );

export const batchRequestTooLong = (max: number) =>
  new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than ${max} bytes.`);

export const unsupportedOperation = (message: string) => new AwsError('UnsupportedOperation', message);
