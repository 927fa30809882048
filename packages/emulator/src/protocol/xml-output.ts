import { outputSchema } from '@aws-trpc/shared/sdk';
import type { NormalizedSchema } from '@smithy/core/schema';
import type { OperationSchema, ServiceProtocol } from './service-protocol';
import { xmlEscape } from './xml-escape';

/**
 * Writes an operation's output as the XML the SDK's `XmlShapeDeserializer` and botocore read: element
 * names from the member's `xmlName` trait (else the member name), list items named by the list
 * member's `xmlName` (EC2: `item`, AWS Query: `member`), maps as `entry/key/value`.
 * https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html#response-serialization
 *
 * Speed matters (1,000 instances are ~4 MB of XML), so each structure is compiled once, on first use,
 * into a function that reads its members by constant property names (monomorphic, inlinable) and
 * builds one string by concatenation. No schema is consulted per value.
 */
export function serializeOutput(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  output: unknown,
  requestId: string,
): string {
  const action = operation[2];
  const ns = outputSchema(protocol.service, operation);
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${protocol.xmlns}">`;
  if (protocol.ec2Query) {
    xml += `<requestId>${requestId}</requestId>`;
    // Operations without an output shape answer `<return>true</return>` on EC2 (e.g. CreateTags).
    xml += ns.isStructSchema() ? structWriter(ns)(output ?? {}) : '<return>true</return>';
  } else {
    if (ns.isStructSchema()) xml += `<${action}Result>${structWriter(ns)(output ?? {})}</${action}Result>`;
    xml += `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
  }
  return `${xml}</${action}Response>`;
}

/** The content of an element (not its tags) for a non-null value. */
type Write = (value: any) => string;

const structWriters = new WeakMap<object, Write>();

/**
 * The writer of a structure. It compiles on its first call, so a recursive shape refers to its own
 * (not yet compiled) writer and compilation terminates.
 */
function structWriter(ns: NormalizedSchema): Write {
  const tuple = ns.getSchema() as unknown as object;
  let writer = structWriters.get(tuple);
  if (writer) return writer;
  let compiled: Write | undefined;
  writer = (value) => {
    compiled ??= compileStruct(ns);
    return compiled(value);
  };
  structWriters.set(tuple, writer);
  return writer;
}

/**
 * Generates, for a structure, straight-line code of the form
 * `x = v["Name"]; if (x != null) s += "<name>" + w3(x) + "</name>";`, with lists unrolled into a
 * loop. Every name and tag is embedded with JSON.stringify, so no schema text becomes code.
 */
function compileStruct(ns: NormalizedSchema): Write {
  const deps: Write[] = [];
  const dep = (w: Write) => `w${deps.push(w) - 1}`;
  const lit = (s: string) => JSON.stringify(s);
  let body = 'let s = "", x, y;\n';
  for (const [name, member] of ns.structIterator()) {
    // XmlShapeDeserializer reads a member by its member-level xmlName only.
    const tag = (member.getMemberTraits().xmlName as string | undefined) ?? name;
    const open = lit(`<${tag}>`);
    const close = lit(`</${tag}>`);
    const flat = !!member.getMergedTraits().xmlFlattened;
    body += `x = v[${lit(name)}];\nif (x != null) `;
    if (member.isListSchema()) {
      const item = member.getValueSchema();
      const itemTag = (item.getMergedTraits().xmlName as string | undefined) ?? 'member';
      // A flattened list repeats the member's own element instead of wrapping items.
      const [itemOpen, itemClose] = flat ? [open, close] : [lit(`<${itemTag}>`), lit(`</${itemTag}>`)];
      const loop = `if (Array.isArray(x)) for (let i = 0; i < x.length; i++) { y = x[i]; if (y != null) s += ${itemOpen} + ${dep(valueWriter(item))}(y) + ${itemClose}; }`;
      body += flat ? `{ ${loop} }\n` : `{ s += ${open}; ${loop} s += ${close}; }\n`;
    } else if (member.isMapSchema() && flat) {
      body += `s += ${dep(mapWriter(member, tag))}(x);\n`;
    } else {
      body += `s += ${open} + ${dep(valueWriter(member))}(x) + ${close};\n`;
    }
  }
  body += 'return s;';
  const names = deps.map((_, i) => `w${i}`);
  // Only schema member names and tags reach the code, each as a JSON string literal.
  const factory = new Function(...names, `return function write(v) {\n${body}\n};`) as (
    ...w: Write[]
  ) => Write;
  return factory(...deps);
}

/** A map's entries; `entryTag` is `entry`, or the member's own tag when the map is flattened. */
function mapWriter(ns: NormalizedSchema, entryTag: string): Write {
  const keyNs = ns.getKeySchema();
  const valueNs = ns.getValueSchema();
  const keyTag = (keyNs.getMergedTraits().xmlName as string | undefined) ?? 'key';
  const valueTag = (valueNs.getMergedTraits().xmlName as string | undefined) ?? 'value';
  const writeValue = valueWriter(valueNs);
  const entryOpen = `<${entryTag}><${keyTag}>`;
  const middle = `</${keyTag}><${valueTag}>`;
  const entryClose = `</${valueTag}></${entryTag}>`;
  return (value) => {
    let s = '';
    if (!value || typeof value !== 'object') return s;
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (v != null) s += entryOpen + xmlEscape(k) + middle + writeValue(v) + entryClose;
    }
    return s;
  };
}

/** The writer of any value: structures and maps as above, lists of lists, and scalars. */
function valueWriter(ns: NormalizedSchema): Write {
  if (ns.isStructSchema()) return structWriter(ns);
  if (ns.isMapSchema()) return mapWriter(ns, 'entry');
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const tag = (member.getMergedTraits().xmlName as string | undefined) ?? 'member';
    const open = `<${tag}>`;
    const close = `</${tag}>`;
    const item = valueWriter(member);
    return (value) => {
      let s = '';
      if (!Array.isArray(value)) return s;
      for (const v of value) if (v != null) s += open + item(v) + close;
      return s;
    };
  }
  if (ns.isTimestampSchema()) return timestampText(ns.getSchema());
  if (ns.isBlobSchema()) return blobText;
  if (ns.isBooleanSchema()) return booleanText;
  return text;
}

function text(value: unknown): string {
  return xmlEscape(typeof value === 'string' ? value : String(value));
}

function booleanText(value: unknown): string {
  return value === true || value === 'true' ? 'true' : 'false';
}

function blobText(value: unknown): string {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return Buffer.from(String(value)).toString('base64');
}

function timestampText(format: unknown): Write {
  return (value) => {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(date.getTime())) return xmlEscape(String(value));
    // 6 = http-date, 7 = epoch-seconds; everything else is ISO 8601 (the protocols' default).
    if (format === 6) return date.toUTCString();
    if (format === 7) return String(date.getTime() / 1000);
    return date.toISOString();
  };
}
