import * as ec2 from '@aws-sdk/client-ec2';
import * as elb from '@aws-sdk/client-elastic-load-balancing';
import { findOperation } from '@aws-trpc/shared';
import { NormalizedSchema } from '@smithy/core/schema';
import type { ProcedureMeta } from '../meta';

const sdk: Record<ProcedureMeta['service'], Record<string, unknown>> = { ec2, elb };
const cache = new Map<string, ReadonlySet<string>>();

/**
 * Member names, at any depth of an operation's input, that must never be logged: those whose shape
 * carries the Smithy `sensitive` trait in the SDK's schema (RunInstances' UserData, ...) and the
 * catalog's `secrets` (ImportKeyPair's PublicKeyMaterial, ...).
 * https://smithy.io/2.0/spec/documentation-traits.html#sensitive-trait
 */
export function sensitiveInputMembers(
  service: ProcedureMeta['service'],
  operation: string,
): ReadonlySet<string> {
  const key = `${service}:${operation}`;
  let names = cache.get(key);
  if (names) return names;
  const found = new Set<string>(findOperation(service, operation)?.secrets ?? []);
  // An operation schema is `[9, namespace, name, traits, input, output]`.
  const op = sdk[service][`${operation}$`] as unknown[] | undefined;
  if (Array.isArray(op) && op[0] === 9) walk(NormalizedSchema.of(op[4] as never), found, new Set(), 0);
  names = found;
  cache.set(key, names);
  return names;
}

/** Depth-bounded: EC2's shapes are recursive in a few places (e.g. filters of filters). */
function walk(s: NormalizedSchema, out: Set<string>, seen: Set<string>, depth: number): void {
  if (depth > 32) return;
  if (s.isListSchema() || s.isMapSchema()) {
    walk(s.getValueSchema(), out, seen, depth + 1);
    return;
  }
  if (!s.isStructSchema()) return;
  const id = s.getName(true);
  if (id) {
    if (seen.has(id)) return;
    seen.add(id);
  }
  for (const [name, member] of s.structIterator()) {
    if (member.getMergedTraits().sensitive) out.add(name);
    else walk(member, out, seen, depth + 1);
  }
}
