import { NormalizedSchema } from '@smithy/core/schema';
import type { OperationSchema, ServiceProtocol } from '../../src/protocol/serviceProtocol';
import { xmlEscape } from '../../src/protocol/xmlEscape';

export function serializeOutput(protocol: ServiceProtocol, operation: OperationSchema, output: unknown, requestId: string): string {
  const action = operation[2];
  const ns = NormalizedSchema.of(operation[5] as never);
  const out: string[] = [`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${protocol.xmlns}">`];
  out.push('<requestId>', requestId, '</requestId>');
  structWriter(ns)(out, output ?? {});
  out.push(`</${action}Response>`);
  return out.join('');
}
type Put = (out: string[], value: any) => void;
type Text = (value: any) => string;
const structWriters = new WeakMap<object, Put>();
function structWriter(ns: NormalizedSchema): Put {
  const tuple = ns.getSchema() as unknown as object;
  let writer = structWriters.get(tuple);
  if (writer) return writer;
  let compiled: Put | undefined;
  writer = (out, value) => { compiled ??= compileStruct(ns); compiled(out, value); };
  structWriters.set(tuple, writer);
  return writer;
}
function compileStruct(ns: NormalizedSchema): Put {
  const deps: unknown[] = [];
  const dep = (w: unknown) => `w${deps.push(w) - 1}`;
  const lit = (s: string) => JSON.stringify(s);
  let body = 'let x, y;\n';
  for (const [name, member] of ns.structIterator()) {
    const tag = (member.getMemberTraits().xmlName as string | undefined) ?? name;
    const open = lit(`<${tag}>`);
    const close = lit(`</${tag}>`);
    body += `x = v[${lit(name)}];\nif (x != null) `;
    if (member.isListSchema()) {
      const item = member.getValueSchema();
      const itemTag = (item.getMergedTraits().xmlName as string | undefined) ?? 'member';
      const [io, ic] = [lit(`<${itemTag}>`), lit(`</${itemTag}>`)];
      const inner = item.isStructSchema() ? `{ o.push(${io}); ${dep(structWriter(item))}(o, y); o.push(${ic}); }` : `o.push(${io}, ${dep(textOf(item))}(y), ${ic});`;
      body += `{ o.push(${open}); if (Array.isArray(x)) for (let i = 0; i < x.length; i++) { y = x[i]; if (y != null) ${inner} } o.push(${close}); }\n`;
    } else if (member.isStructSchema()) {
      body += `{ o.push(${open}); ${dep(structWriter(member))}(o, x); o.push(${close}); }\n`;
    } else {
      body += `o.push(${open}, ${dep(textOf(member))}(x), ${close});\n`;
    }
  }
  const names = deps.map((_, i) => `w${i}`);
  return (new Function(...names, `return function write(o, v) {\n${body}\n};`) as any)(...deps);
}
function textOf(ns: NormalizedSchema): Text {
  if (ns.isTimestampSchema()) return (v) => (v as Date).toISOString();
  if (ns.isBooleanSchema()) return (v) => (v === true ? 'true' : 'false');
  return (v) => xmlEscape(typeof v === 'string' ? v : String(v));
}
