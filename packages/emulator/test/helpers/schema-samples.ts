import { NormalizedSchema } from '@smithy/core/schema';

/**
 * A deterministic sample value for any SDK schema: every member filled (lists of two, maps of two,
 * unions with their first member), scalars that exercise the wire (XML-special characters,
 * fractional timestamps, binary blobs). Depth is bounded so recursive shapes end.
 */
export function sampleOf(schema: unknown, maxDepth = 5): unknown {
  let n = 0;
  const next = () => ++n;

  function sample(ns: NormalizedSchema, name: string, depth: number): unknown {
    if (depth > maxDepth + 4) return undefined;
    if (ns.isStructSchema()) {
      const out: Record<string, unknown> = {};
      const tuple = ns.getSchema() as unknown as unknown[];
      const required = typeof tuple[6] === 'number' ? tuple[6] : 0;
      let i = 0;
      for (const [memberName, member] of ns.structIterator()) {
        const isRequired = i++ < required;
        if (depth >= maxDepth && !isRequired) continue;
        const v = sample(member, memberName, depth + 1);
        if (v !== undefined) out[memberName] = v;
        if (ns.isUnionSchema() && v !== undefined) break;
      }
      // An empty structure has no form encoding at all, so it cannot round-trip: leave it out.
      return Object.keys(out).length > 0 ? out : undefined;
    }
    if (ns.isListSchema()) {
      if (depth > maxDepth + 2) return undefined;
      const member = ns.getValueSchema();
      const items = [sample(member, name, depth + 1), sample(member, name, depth + 1)].filter(
        (v) => v !== undefined,
      );
      return items.length > 0 ? items : undefined;
    }
    if (ns.isMapSchema()) {
      if (depth > maxDepth + 2) return undefined;
      const value = ns.getValueSchema();
      const first = sample(value, name, depth + 1);
      return first === undefined
        ? undefined
        : { [`k${next()}`]: first, [`k${next()}`]: sample(value, name, depth + 1) };
    }
    if (ns.isBooleanSchema()) return next() % 2 === 0;
    if (ns.isNumericSchema()) return next();
    if (ns.isBigIntegerSchema()) return BigInt(next());
    if (ns.isTimestampSchema()) return new Date(Date.UTC(2026, 0, 1) + next() * 1_001);
    if (ns.isBlobSchema()) return new Uint8Array([0, 255, next() % 256, 60, 38]);
    if (ns.isStringSchema()) return `${name}-${next()} <a&b> "q" 'é✓'`;
    // Documents and big decimals do not occur in these query APIs.
    return undefined;
  }

  return sample(NormalizedSchema.of(schema as never), 'value', 0);
}
