import { inputSchema, structMembers } from '@aws-trpc/shared/sdk';
import type { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from '../core/errors';
import type { OperationSchema, ServiceProtocol } from './service-protocol';

/**
 * Reads an AWS JSON 1.0/1.1 body into the operation's SDK-shaped input, walking the SDK's schema: the
 * mirror of the SDK's `JsonShapeSerializer` (member names as keys, timestamps as epoch seconds, blobs
 * as base64). Unknown members are ignored and `null` is absent, as AWS's JSON services do.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
export function parseJsonInput(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  body: string,
): Record<string, unknown> {
  const ns = inputSchema(protocol.service, operation);
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!ns.isStructSchema()) return {};
  return readStruct(protocol, ns, value, '') as Record<string, unknown>;
}

function readStruct(protocol: ServiceProtocol, ns: NormalizedSchema, value: unknown, path: string): unknown {
  if (!isObject(value)) throw mistyped(protocol, path, 'structure');
  const out: Record<string, unknown> = {};
  for (const m of structMembers(ns)) {
    const v = Object.hasOwn(value, m.name) ? value[m.name] : undefined;
    const key = path ? `${path}.${m.name}` : m.name;
    if (v === undefined || v === null) {
      if (m.required) throw missing(protocol, key);
      continue;
    }
    out[m.name] = readValue(protocol, m.schema, v, key);
  }
  return out;
}

function readValue(protocol: ServiceProtocol, ns: NormalizedSchema, value: unknown, path: string): unknown {
  if (ns.isStructSchema()) return readStruct(protocol, ns, value, path);
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) throw mistyped(protocol, path, 'list');
    const member = ns.getValueSchema();
    return value.filter((v) => v !== null).map((v, i) => readValue(protocol, member, v, `${path}.${i + 1}`));
  }
  if (ns.isMapSchema()) {
    if (!isObject(value)) throw mistyped(protocol, path, 'map');
    const valueNs = ns.getValueSchema();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || k === '__proto__') continue;
      out[k] = readValue(protocol, valueNs, v, `${path}.${k}`);
    }
    return out;
  }
  if (ns.isStringSchema()) {
    if (typeof value !== 'string') throw mistyped(protocol, path, 'string');
    return value;
  }
  if (ns.isBooleanSchema()) {
    if (typeof value !== 'boolean') throw mistyped(protocol, path, 'boolean');
    return value;
  }
  if (ns.isNumericSchema()) {
    if (typeof value === 'number') return value;
    // Smithy writes non-finite floats as strings.
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
    throw mistyped(protocol, path, 'number');
  }
  if (ns.isBigIntegerSchema()) {
    if (typeof value !== 'number' && typeof value !== 'string') throw mistyped(protocol, path, 'number');
    try {
      return BigInt(value);
    } catch {
      throw mistyped(protocol, path, 'number');
    }
  }
  if (ns.isTimestampSchema()) {
    // Epoch seconds unless the member's format says date-time (5) or http-date (6).
    const date =
      typeof value === 'number'
        ? new Date(value * 1000)
        : typeof value === 'string'
          ? new Date(/^-?\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value)
          : undefined;
    if (!date || Number.isNaN(date.getTime())) throw mistyped(protocol, path, 'timestamp');
    return date;
  }
  if (ns.isBlobSchema()) {
    if (typeof value !== 'string') throw mistyped(protocol, path, 'blob');
    return new Uint8Array(Buffer.from(value, 'base64'));
  }
  // Documents and big decimals pass as sent.
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A missing required member in each service's words: SQS keeps its query wording. */
function missing(protocol: ServiceProtocol, key: string): AwsError {
  if (protocol.queryCompatible)
    return new AwsError('MissingParameter', `The request must contain the parameter ${key}.`);
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value null at '${lowerFirst(key)}' failed to satisfy constraint: Member must not be null`,
  );
}

function mistyped(protocol: ServiceProtocol, key: string, type: string): AwsError {
  const where = key || 'the request body';
  if (protocol.queryCompatible)
    return new AwsError(
      'InvalidParameterValue',
      `Value for parameter ${where} is invalid: expected a ${type}.`,
    );
  return new AwsError('SerializationException', `Expected a ${type} for ${where}.`);
}

function lowerFirst(s: string): string {
  return s[0]!.toLowerCase() + s.slice(1);
}
