import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { describe, expect, it } from 'vitest';
import { parseQueryInput } from '../src/protocol/query-input';
import { ec2Protocol, elbProtocol, type ServiceProtocol } from '../src/protocol/service-protocol';
import { serializeOutput } from '../src/protocol/xml-output';
import { capturingHandler } from './helpers/capturing-handler';
import { sampleOf } from './helpers/schema-samples';

/**
 * The protocol layer is the mirror of the SDK: for every operation of both services, a sample input
 * goes through the SDK's own serializer and must parse back to itself, and a sample output written
 * by our serializer must come out of the SDK's own deserializer unchanged.
 */
type Sdk = Record<string, any>;

function roundTrip(protocol: ServiceProtocol, sdk: Sdk, Client: new (config: object) => any) {
  const operations = protocol.operationNames();

  it('knows the SDK operations', () => {
    expect(operations.length).toBeGreaterThan(protocol.service === 'ec2' ? 700 : 25);
    expect(operations).toContain(protocol.service === 'ec2' ? 'DescribeInstances' : 'DescribeLoadBalancers');
  });

  it.each(operations)('%s round-trips input and output', async (action) => {
    const operation = protocol.operation(action)!;
    const input = sampleOf(operation[4]) as Record<string, unknown>;
    const output = sampleOf(operation[5]);
    const { captured, handler } = capturingHandler(() => ({
      body: serializeOutput(protocol, operation, output, 'req-1'),
    }));
    const client = new Client({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: handler,
      maxAttempts: 1,
    });
    const { $metadata, ...received } = await client.send(new sdk[`${action}Command`](input));
    expect($metadata.httpStatusCode).toBe(200);
    expect(received).toEqual(output ?? {});

    const body = String(captured[0]!.body);
    const params = new URLSearchParams(body);
    expect(params.get('Action')).toBe(action);
    expect(params.get('Version')).toBe(protocol.version);
    expect(parseQueryInput(protocol, operation, params)).toEqual(input ?? {});
  });
}

describe('EC2 Query mirror (every @aws-sdk/client-ec2 operation)', () => {
  roundTrip(ec2Protocol, ec2Sdk, ec2Sdk.EC2Client);
});

describe('AWS Query mirror (every @aws-sdk/client-elastic-load-balancing operation)', () => {
  roundTrip(elbProtocol, elbSdk, elbSdk.ElasticLoadBalancingClient);
});
