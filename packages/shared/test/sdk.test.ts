import { describe, expect, it } from 'vitest';
import { errorShape, inputSchema, operationNames, operationSchema, sdkPackages } from '../src/sdk';

/** The schema reader serves SQS and EventBridge too (the emulator's wire layer), beside EC2 and ELB. */
describe('@aws-trpc/shared/sdk beyond the catalog', () => {
  it('lists the operations of SQS and EventBridge from their SDKs', () => {
    expect(sdkPackages.sqs).toBe('@aws-sdk/client-sqs');
    expect(operationNames('sqs')).toEqual(expect.arrayContaining(['ReceiveMessage', 'DeleteMessageBatch']));
    expect(operationNames('events')).toEqual(expect.arrayContaining(['PutRule', 'PutEvents']));
    expect(operationSchema('sqs', 'Message')).toBeUndefined();
    expect([...inputSchema('events', 'PutTargets').structIterator()].map(([name]) => name)).toEqual([
      'Rule',
      'Targets',
      'EventBusName',
    ]);
  });

  it('reads an error shape: its namespace, fault, status and awsQueryError code', () => {
    expect(errorShape('sqs', 'QueueDoesNotExist')).toEqual({
      namespace: 'com.amazonaws.sqs',
      name: 'QueueDoesNotExist',
      fault: 'client',
      httpStatus: 400,
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    expect(errorShape('events', 'ResourceNotFoundException')).toMatchObject({
      namespace: 'com.amazonaws.eventbridge',
      queryCode: undefined,
    });
    // Structures and unknown names are not errors.
    expect(errorShape('sqs', 'Message')).toBeUndefined();
    expect(errorShape('sqs', 'NoSuchError')).toBeUndefined();
    expect(errorShape('sqs', '__proto__')).toBeUndefined();
  });
});
