import { NormalizedSchema } from '@smithy/core/schema';
import type { OperationSchema, ServiceProtocol } from '../../src/protocol/serviceProtocol';
import { xmlEscape } from '../../src/protocol/xmlEscape';

/**
 * Writes an operation's output as the XML the SDK's `XmlShapeDeserializer` and botocore read: element
 * names from the member's `xmlName` trait (else the member name), list items named by the list
 * member's `xmlName` (EC2: `item`, AWS Query: `member`), maps as `entry/key/value`.
 * Writers are compiled once per structure and then only push strings, so 10,000 instances stay fast.
 * https://smithy.io/2.0/aws/protocols/aws-ec2-query-protocol.html#response-serialization
 */
export function serializeOutput(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  output: unknown,
  requestId: string,
): string {
  const action = operation[2];
  const ns = NormalizedSchema.of(operation[5] as never);
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${protocol.xmlns}">`,
  ];
  if (protocol.ec2Query) {
    out.push('<requestId>', requestId, '</requestId>');
    // Operations without an output shape answer `<return>true</return>` on EC2 (e.g. CreateTags).
    if (ns.isStructSchema()) structWriter(ns)(out, output ?? {});
    else out.push('<return>true</return>');
  } else {
    if (ns.isStructSchema()) {
      out.push(`<${action}Result>`);
      structWriter(ns)(out, output ?? {});
      out.push(`</${action}Result>`);
    }
    out.push('<ResponseMetadata><RequestId>', requestId, '</RequestId></ResponseMetadata>');
  }
  out.push(`</${action}Response>`);
  return out.join('');
}

/** Writes the content of an element (not its tags). */
type Writer = (out: string[], value: unknown) => void;

interface MemberWriter {
  name: string;
  open: string;
  close: string;
  /** Scalars: the element text. Most elements are scalars, so they take one push and no closure. */
  text?: (value: unknown) => string;
  write: Writer;
  /** A flattened list or map repeats the member's own element instead of wrapping items. */
  flat: boolean;
}

const structWriters = new WeakMap<object, Writer>();

function structWriter(ns: NormalizedSchema): Writer {
  const tuple = ns.getSchema() as unknown as object;
  const cached = structWriters.get(tuple);
  if (cached) return cached;
  let members: MemberWriter[] | undefined;
  const writer: Writer = (out, value) => {
    // Compiled on first use, so recursive shapes terminate.
    members ??= compileMembers(ns);
    const record = value as Record<string, unknown>;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const v = record[m.name];
      if (v == null) continue;
      if (m.text) {
        out.push(m.open, m.text(v), m.close);
      } else if (m.flat) {
        m.write(out, v);
      } else {
        out.push(m.open);
        m.write(out, v);
        out.push(m.close);
      }
    }
  };
  structWriters.set(tuple, writer);
  return writer;
}

function compileMembers(ns: NormalizedSchema): MemberWriter[] {
  const members: MemberWriter[] = [];
  for (const [name, member] of ns.structIterator()) {
    // XmlShapeDeserializer reads a member by its member-level xmlName only.
    const tag = (member.getMemberTraits().xmlName as string | undefined) ?? name;
    const open = `<${tag}>`;
    const close = `</${tag}>`;
    const flat = (member.isListSchema() || member.isMapSchema()) && !!member.getMergedTraits().xmlFlattened;
    if (flat && member.isListSchema()) {
      const item = valueWriter(member.getValueSchema());
      members.push({ name, open, close, flat, write: repeated(open, close, item) });
    } else if (flat) {
      members.push({ name, open, close, flat, write: mapWriter(member, open, close) });
    } else {
      const text = textOf(member);
      members.push({ name, open, close, flat, text, write: valueWriter(member) });
    }
  }
  return members;
}

function repeated(open: string, close: string, item: Writer): Writer {
  return (out, value) => {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v == null) continue;
      out.push(open);
      item(out, v);
      out.push(close);
    }
  };
}

function mapWriter(ns: NormalizedSchema, entryOpen: string, entryClose: string): Writer {
  const keyNs = ns.getKeySchema();
  const valueNs = ns.getValueSchema();
  const keyTag = (keyNs.getMergedTraits().xmlName as string | undefined) ?? 'key';
  const valueTag = (valueNs.getMergedTraits().xmlName as string | undefined) ?? 'value';
  const writeValue = valueWriter(valueNs);
  const keyOpen = `<${keyTag}>`;
  const keyClose = `</${keyTag}>`;
  const valueOpen = `<${valueTag}>`;
  const valueClose = `</${valueTag}>`;
  return (out, value) => {
    if (!value || typeof value !== 'object') return;
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (v == null) continue;
      out.push(entryOpen, keyOpen, xmlEscape(k), keyClose, valueOpen);
      writeValue(out, v);
      out.push(valueClose, entryClose);
    }
  };
}

function valueWriter(ns: NormalizedSchema): Writer {
  if (ns.isStructSchema()) return structWriter(ns);
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const tag = (member.getMergedTraits().xmlName as string | undefined) ?? 'member';
    // Struct writers compile their members on first use, so a recursive shape cannot loop here.
    return repeated(`<${tag}>`, `</${tag}>`, valueWriter(member));
  }
  if (ns.isMapSchema()) return mapWriter(ns, '<entry>', '</entry>');
  const text = textOf(ns) ?? writeText;
  return (out, value) => {
    out.push(text(value));
  };
}

/** How a scalar is written as element text; undefined for lists, maps and structures. */
function textOf(ns: NormalizedSchema): ((value: unknown) => string) | undefined {
  if (ns.isStructSchema() || ns.isListSchema() || ns.isMapSchema()) return undefined;
  if (ns.isTimestampSchema()) return timestampText(ns.getSchema());
  if (ns.isBlobSchema()) return blobText;
  if (ns.isBooleanSchema()) return booleanText;
  return writeText;
}

function writeText(value: unknown): string {
  return typeof value === 'string' ? xmlEscape(value) : xmlEscape(String(value));
}

function booleanText(value: unknown): string {
  return value === true || value === 'true' ? 'true' : 'false';
}

function blobText(value: unknown): string {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return Buffer.from(String(value)).toString('base64');
}

function timestampText(format: unknown): (value: unknown) => string {
  return (value) => {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(date.getTime())) return xmlEscape(String(value));
    // 6 = http-date, 7 = epoch-seconds; everything else is ISO 8601 (the protocols' default).
    if (format === 6) return date.toUTCString();
    if (format === 7) return String(date.getTime() / 1000);
    return date.toISOString();
  };
}
