import * as eventsSdk from '@aws-sdk/client-eventbridge';
import * as sqsSdk from '@aws-sdk/client-sqs';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { describe, expect, it } from 'vitest';
import { parseJsonInput } from '../src/protocol/json-input';
import { serializeJsonOutput } from '../src/protocol/json-output';
import { parseQueryInput } from '../src/protocol/query-input';
import { eventsProtocol, type ServiceProtocol, sqsProtocol } from '../src/protocol/service-protocol';
import { serializeOutput } from '../src/protocol/xml-output';
import { capturingHandler } from './helpers/capturing-handler';
import { sampleOf } from './helpers/schema-samples';

/**
 * The AWS JSON layer is the mirror of the SDK, as the query layer is: for every operation of SQS and
 * EventBridge, a sample input goes through the SDK's own JSON serializer and must parse back to
 * itself, and a sample output written by our serializer must come out of the SDK's deserializer
 * unchanged. SQS is also served as AWS Query (the AWS CLI v2.9 speaks it), through the same generic
 * query and XML layer as ELB: an SDK client switched to AWS Query proves that mirror too.
 */
type Sdk = Record<string, any>;

const base = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
  // The SDK checks MD5OfMessageBody against the body it sent; sample outputs cannot match it.
  md5: false as const,
};

// TextDecoder reads the bytes; Buffer.from would call the SDK body's valueOf (a deprecated string view).
const text = (body: unknown) =>
  typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array);

function jsonRoundTrip(protocol: ServiceProtocol, sdk: Sdk, Client: new (config: object) => any) {
  const operations = protocol.operationNames();

  it('knows the SDK operations', () => {
    expect(operations).toContain(protocol.service === 'sqs' ? 'ReceiveMessage' : 'PutRule');
  });

  it.each(operations)('%s round-trips input and output', async (action) => {
    const operation = protocol.operation(action)!;
    const input = (sampleOf(operation[4]) ?? {}) as Record<string, unknown>;
    // PutEvents' EndpointId picks a global endpoint's host on the client; it never reaches the wire.
    if (action === 'PutEvents') delete input.EndpointId;
    const output = sampleOf(operation[5]);
    const { captured, handler } = capturingHandler(() => ({
      body: serializeJsonOutput(protocol, operation, output),
    }));
    const client = new Client({ ...base, requestHandler: handler });
    const { $metadata, ...received } = await client.send(new sdk[`${action}Command`](input));
    expect($metadata.httpStatusCode).toBe(200);
    expect(received).toEqual(output ?? {});
    const request = captured[0]!;
    expect(request.headers['x-amz-target']).toBe(`${protocol.json!.targetPrefix}.${action}`);
    expect(parseJsonInput(protocol, operation, text(request.body))).toEqual(input);
  });
}

describe('AWS JSON 1.0 mirror (every @aws-sdk/client-sqs operation)', () => {
  jsonRoundTrip(sqsProtocol, sqsSdk, sqsSdk.SQSClient);
});

describe('AWS JSON 1.1 mirror (every @aws-sdk/client-eventbridge operation)', () => {
  jsonRoundTrip(eventsProtocol, eventsSdk, eventsSdk.EventBridgeClient);
});

describe('AWS Query mirror for SQS (the AWS CLI v2.9 wire)', () => {
  it.each(sqsProtocol.operationNames())('%s round-trips input and output', async (action) => {
    const operation = sqsProtocol.operation(action)!;
    const input = (sampleOf(operation[4]) ?? {}) as Record<string, unknown>;
    // ReceiveMessage's AttributeNames and MessageSystemAttributeNames are both `AttributeName.N` in
    // SQS's query model: the query wire cannot tell them apart (the handler reads their union).
    if (action === 'ReceiveMessage') delete input.MessageSystemAttributeNames;
    const expected =
      action === 'ReceiveMessage' ? { ...input, MessageSystemAttributeNames: input.AttributeNames } : input;
    const output = sampleOf(operation[5]);
    const { captured, handler } = capturingHandler(() => ({
      body: serializeOutput(sqsProtocol, operation, output, 'req-1'),
    }));
    const client = new sqsSdk.SQSClient({
      ...base,
      requestHandler: handler,
      protocol: AwsQueryProtocol,
      protocolSettings: {
        defaultNamespace: 'com.amazonaws.sqs',
        xmlNamespace: sqsProtocol.xmlns,
        version: sqsProtocol.version,
      },
    });
    const { $metadata, ...received } = await client.send(new (sqsSdk as Sdk)[`${action}Command`](input));
    expect($metadata.httpStatusCode).toBe(200);
    expect(received).toEqual(output ?? {});
    const params = new URLSearchParams(text(captured[0]!.body));
    expect(params.get('Action')).toBe(action);
    expect(params.get('Version')).toBe('2012-11-05');
    expect(parseQueryInput(sqsProtocol, operation, params)).toEqual(expected);
  });
});
