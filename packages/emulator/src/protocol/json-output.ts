import { outputSchema } from '@aws-trpc/shared/sdk';
import type { NormalizedSchema } from '@smithy/core/schema';
import { jsonErrorType, queryErrorCode } from './error-shape';
import type { OperationSchema, ServiceProtocol } from './service-protocol';

/**
 * Writes an operation's output as the AWS JSON body the SDK's `JsonShapeDeserializer` reads, walking
 * the SDK's schema: member names as keys, timestamps as epoch seconds (unless the member's format
 * says otherwise), blobs as base64, absent members left out.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
export function serializeJsonOutput(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  output: unknown,
): string {
  const ns = outputSchema(protocol.service, operation);
  if (!ns.isStructSchema()) return '{}';
  return JSON.stringify(toJson(ns, output ?? {}) ?? {});
}

function toJson(ns: NormalizedSchema, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (typeof value !== 'object') return undefined;
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const [name, member] of ns.structIterator()) {
      const v = toJson(member, record[name]);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return undefined;
    const member = ns.getValueSchema();
    return value.map((v) => toJson(member, v)).filter((v) => v !== undefined);
  }
  if (ns.isMapSchema()) {
    if (typeof value !== 'object') return undefined;
    const valueNs = ns.getValueSchema();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = toJson(valueNs, v);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  if (ns.isTimestampSchema()) {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(date.getTime())) return undefined;
    const format = ns.getSchema();
    if (format === 5) return date.toISOString();
    if (format === 6) return date.toUTCString();
    return date.getTime() / 1000;
  }
  if (ns.isBlobSchema()) {
    if (value instanceof Uint8Array)
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return Buffer.from(String(value)).toString('base64');
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/**
 * The JSON error answer: `__type` and `message` in the body; an awsQueryCompatible service adds
 * `x-amzn-query-error: <query code>;Sender|Receiver`, which the SDK reads to pick the exception.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html
 */
export function serializeJsonError(
  protocol: ServiceProtocol,
  error: { code: string; message: string; status: number },
): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (protocol.queryCompatible) {
    const fault = error.status >= 500 ? 'Receiver' : 'Sender';
    headers['x-amzn-query-error'] = `${queryErrorCode(protocol, error.code)};${fault}`;
  }
  return {
    body: JSON.stringify({ __type: jsonErrorType(protocol, error.code), message: error.message }),
    headers,
  };
}
