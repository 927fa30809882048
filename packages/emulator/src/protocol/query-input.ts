import { inputSchema, structMembers } from '@aws-trpc/shared/sdk';
import type { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from '../core/errors';
import type { OperationSchema, ServiceProtocol } from './service-protocol';

/**
 * Parses an EC2 Query / AWS Query form into the operation's SDK-shaped input. It is the mirror of the
 * SDK's `QueryShapeSerializer` (@aws-sdk/core protocols/query): same key names, same list and map
 * layouts, so whatever the SDK or the CLI writes reads back as the object that was sent.
 * https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
export function parseQueryInput(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  params: Iterable<[string, string]>,
): Record<string, unknown> {
  const ns = inputSchema(protocol.service, operation);
  if (!ns.isStructSchema()) return {};
  const root = formTree(params);
  root.children?.delete('Action');
  root.children?.delete('Version');
  // Signature parameters of a presigned (query-string) request are not the operation's.
  for (const key of root.children?.keys() ?? []) if (key.startsWith('X-Amz-')) root.children?.delete(key);
  return readStruct(protocol, ns, root, '');
}

/** The form's keys split on `.` into a tree: `A.1.B=x` → A → 1 → B = x. */
interface FormNode {
  value?: string;
  children?: Map<string, FormNode>;
}

function formTree(params: Iterable<[string, string]>): FormNode {
  const root: FormNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      node.children ??= new Map();
      let next = node.children.get(part);
      if (!next) {
        next = {};
        node.children.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }
  return root;
}

/** Children named 1, 2, 3… in numeric order; AWS reads list positions, not their count. */
function indexed(node: FormNode): FormNode[] {
  if (!node.children) return [];
  const entries: [number, FormNode][] = [];
  for (const [k, child] of node.children) {
    if (/^[1-9][0-9]{0,5}$/.test(k)) entries.push([Number(k), child]);
  }
  return entries.sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

interface MemberPlan {
  name: string;
  key: string;
  schema: NormalizedSchema;
  required: boolean;
}

const ec2Plans = new WeakMap<object, MemberPlan[]>();
const queryPlans = new WeakMap<object, MemberPlan[]>();

/** The wire key of each member, worked out once per structure and protocol. */
function structPlan(protocol: ServiceProtocol, ns: NormalizedSchema): MemberPlan[] {
  const cache = protocol.ec2Query ? ec2Plans : queryPlans;
  const tuple = ns.getSchema() as object;
  let plan = cache.get(tuple);
  if (plan) return plan;
  plan = structMembers(ns).map(({ name, schema, required }) => ({
    name,
    key: wireKey(protocol, name, schema.getMergedTraits(), true),
    schema,
    required,
  }));
  cache.set(tuple, plan);
  return plan;
}

/** QueryShapeSerializer.getKey: EC2 prefers ec2QueryName, then capitalizes xmlName or the member name. */
function wireKey(
  protocol: ServiceProtocol,
  fallback: string,
  traits: { xmlName?: string; ec2QueryName?: string },
  isStructMember: boolean,
): string {
  if (protocol.ec2Query && traits.ec2QueryName) return traits.ec2QueryName;
  const key = traits.xmlName ?? fallback;
  return protocol.ec2Query && isStructMember ? key[0]!.toUpperCase() + key.slice(1) : key;
}

function readStruct(
  protocol: ServiceProtocol,
  ns: NormalizedSchema,
  node: FormNode,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of structPlan(protocol, ns)) {
    const child = node.children?.get(m.key);
    if (child === undefined) {
      if (m.required) throw missing(protocol, path + m.key);
      continue;
    }
    const value = readValue(protocol, m.schema, child, path + m.key);
    if (value !== undefined) out[m.name] = value;
  }
  if (protocol.ec2Query && node.children) rejectUnknown(protocol, ns, node, path);
  return out;
}

/**
 * EC2 refuses a parameter its operation does not have (a typo like `InstanceIds.1`): 400
 * UnknownParameter naming it, never a silently wider answer
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 */
function rejectUnknown(protocol: ServiceProtocol, ns: NormalizedSchema, node: FormNode, path: string): void {
  const known = knownKeys(protocol, ns);
  for (const key of node.children!.keys())
    if (!known.has(key))
      throw new AwsError('UnknownParameter', `The parameter ${path}${key} is not recognized`);
}

const knownKeyCache = new WeakMap<object, Set<string>>();

function knownKeys(protocol: ServiceProtocol, ns: NormalizedSchema): Set<string> {
  const tuple = ns.getSchema() as object;
  let keys = knownKeyCache.get(tuple);
  if (!keys) {
    keys = new Set(structPlan(protocol, ns).map((m) => m.key));
    knownKeyCache.set(tuple, keys);
  }
  return keys;
}

function readValue(protocol: ServiceProtocol, ns: NormalizedSchema, node: FormNode, path: string): unknown {
  if (ns.isStructSchema()) return readStruct(protocol, ns, node, `${path}.`);
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const flat = protocol.ec2Query || !!ns.getMergedTraits().xmlFlattened;
    const itemKey = flat ? '' : `.${wireKey(protocol, 'member', member.getMergedTraits(), false)}`;
    const itemsNode = flat ? node : node.children?.get(itemKey.slice(1));
    // AWS Query sends an empty list as `Name=` (serializeEmptyLists).
    if (!itemsNode) return [];
    return indexed(itemsNode).map((item, i) =>
      readValue(protocol, member, item, `${path}${itemKey}.${i + 1}`),
    );
  }
  if (ns.isMapSchema()) {
    const keyNs = ns.getKeySchema();
    const valueNs = ns.getValueSchema();
    const entries = ns.getMergedTraits().xmlFlattened ? node : node.children?.get('entry');
    const keyName = wireKey(protocol, 'key', keyNs.getMergedTraits(), false);
    const valueName = wireKey(protocol, 'value', valueNs.getMergedTraits(), false);
    const out: Record<string, unknown> = {};
    if (!entries) return out;
    for (const entry of indexed(entries)) {
      const k = entry.children?.get(keyName)?.value;
      const v = entry.children?.get(valueName);
      if (k === undefined || v === undefined || k === '__proto__') continue;
      out[k] = readValue(protocol, valueNs, v, `${path}.entry.${k}`);
    }
    return out;
  }
  const raw = node.value;
  if (raw === undefined) return undefined;
  return readScalar(protocol, ns, raw, path);
}

function readScalar(protocol: ServiceProtocol, ns: NormalizedSchema, raw: string, path: string): unknown {
  if (ns.isStringSchema()) return raw;
  if (ns.isBooleanSchema()) {
    const lower = raw.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalid(protocol, path, raw);
  }
  if (ns.isNumericSchema()) {
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    if (Number.isNaN(n) && raw !== 'NaN') throw invalid(protocol, path, raw);
    return n;
  }
  if (ns.isBigIntegerSchema()) {
    try {
      return BigInt(raw);
    } catch {
      throw invalid(protocol, path, raw);
    }
  }
  if (ns.isTimestampSchema()) {
    // Timestamp format 7 is epoch-seconds; the others are date strings (ISO 8601 by default).
    const date =
      ns.getSchema() === 7 || /^-?\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
    if (Number.isNaN(date.getTime())) throw invalid(protocol, path, raw);
    return date;
  }
  if (ns.isBlobSchema()) return new Uint8Array(Buffer.from(raw, 'base64'));
  // Big decimals and documents stay as the text that was sent.
  return raw;
}

/** A missing required parameter, in each protocol's words. */
function missing(protocol: ServiceProtocol, key: string): AwsError {
  if (protocol.ec2Query)
    return new AwsError('MissingParameter', `The request must contain the parameter ${key}`);
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value null at '${lowerFirst(key)}' failed to satisfy constraint: Member must not be null`,
  );
}

function invalid(protocol: ServiceProtocol, key: string, raw: string): AwsError {
  if (protocol.ec2Query) return new AwsError('InvalidParameterValue', `Invalid value '${raw}' for ${key}`);
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value '${raw}' at '${lowerFirst(key)}' failed to satisfy constraint: Member must be of the right type`,
  );
}

function lowerFirst(s: string): string {
  return s[0]!.toLowerCase() + s.slice(1);
}
