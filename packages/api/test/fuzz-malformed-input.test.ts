import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { NormalizedSchema } from '@smithy/core/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/router';
import { allProcedures, callCode, type Harness, type ProcedureInfo, startSecuredGateway, tokens } from './security-harness';

/**
 * Malformed input for every procedure: wrong types, unknown keys, oversized strings and arrays, deep
 * nesting, and `__proto__`/`constructor` keys. Each must be refused as BAD_REQUEST or
 * PAYLOAD_TOO_LARGE (never a 500), nothing may reach AWS, and the gateway must stay up.
 */

let h: Harness;
beforeAll(async () => {
  h = await startSecuredGateway({ logLevel: 'silent' });
});
afterAll(() => h?.close());

const procedures = allProcedures(appRouter);
const accepted = new Set(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']);

function inputMembers(p: ProcedureInfo): [string, NormalizedSchema][] {
  const sdk = (p.meta.service === 'ec2' ? ec2Sdk : elbSdk) as unknown as Record<string, unknown[]>;
  const op = sdk[`${p.meta.operation}$`];
  return op ? [...NormalizedSchema.of(op[4] as never).structIterator()] : [];
}

/** A value of the wrong type for a member (a string where a list is expected, and so on). */
function wrongFor(m: NormalizedSchema): fc.Arbitrary<unknown> {
  if (m.isStringSchema()) return fc.oneof(fc.integer(), fc.boolean(), fc.dictionary(fc.string(), fc.string()));
  if (m.isNumericSchema()) return fc.oneof(fc.string(), fc.boolean(), fc.array(fc.integer()));
  if (m.isBooleanSchema()) return fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.object());
  if (m.isListSchema()) return fc.oneof(fc.string(), fc.integer(), fc.constant({ not: 'a list' }));
  if (m.isStructSchema()) return fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer(), { minLength: 1 }));
  if (m.isTimestampSchema()) return fc.oneof(fc.boolean(), fc.array(fc.integer(), { minLength: 1 }));
  return fc.constant(Symbol.for('skip'));
}

/** AWS members are PascalCase; a key starting with a lowercase `x` is never one of them. */
const unknownKey = fc.string({ minLength: 1, maxLength: 30 }).map((s) => `x${s}`);

const deep = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { Nested: v };
  return v;
};

/** Own `__proto__`/`constructor`/`prototype` keys, as a hostile JSON body carries them. */
const protoKeys = fc
  .subarray(['__proto__', 'constructor', 'prototype'], { minLength: 1 })
  .map((keys) => JSON.parse(`{${keys.map((k) => `"${k}":{"polluted":true,"toString":1}`).join(',')}}`));

function malformed(p: ProcedureInfo): fc.Arbitrary<unknown> {
  const members = inputMembers(p);
  const typed = members.filter(([, m]) => !(wrongFor(m) as any).constantValue);
  const wrongType =
    members.length > 0
      ? fc.constantFrom(...members).chain(([name, m]) =>
          wrongFor(m)
            .filter((v) => v !== Symbol.for('skip'))
            .map((v) => ({ [name]: v })),
        )
      : fc.constant(42);
  void typed;
  return fc.oneof(
    // wrong type at the root
    fc.oneof(fc.integer(), fc.string({ minLength: 1 }), fc.boolean(), fc.array(fc.anything(), { minLength: 1 })),
    // wrong type for a real member
    wrongType,
    // unknown keys with arbitrary values
    fc.dictionary(unknownKey, fc.anything(), { minKeys: 1, maxKeys: 5 }),
    protoKeys,
    // oversized strings and arrays
    fc.record({ xOversized: fc.integer({ min: 100_000, max: 400_000 }).map((n) => 'A'.repeat(n)) }),
    fc.integer({ min: 10_000, max: 60_000 }).map((n) => ({ xHuge: Array.from({ length: n }, (_, i) => i) })),
    // deep nesting, under a real member name when there is one
    fc.integer({ min: 200, max: 3_000 }).map((d) => ({ [members[0]?.[0] ?? 'xDeep']: deep(d, 'leaf') })),
  );
}

describe('fuzz: malformed input for every procedure', () => {
  it('answers BAD_REQUEST or PAYLOAD_TOO_LARGE, reaches no AWS endpoint, and the gateway stays up', async () => {
    h.emulator.control.requests.clear();
    const client = h.client(tokens.admin, { batch: false });
    const failures: string[] = [];
    // Every procedure at least a few times; fast-check picks the malformation and shrinks failures.
    const runsPer = 3;
    for (const p of procedures) {
      await fc.assert(
        fc.asyncProperty(malformed(p), async (input) => {
          const code = await callCode(client, p, input);
          if (!accepted.has(code)) failures.push(`${p.path}: ${code} for ${JSON.stringify(input)?.slice(0, 200)}`);
          return accepted.has(code);
        }),
        { numRuns: runsPer, seed: 0x5eed ^ p.path.length, endOnFailure: true },
      ).catch(() => {});
      if (failures.length > 20) break;
    }
    expect(failures.join('\n')).toBe('');
    expect(h.emulator.control.requests.count()).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await fetch(`${h.origin}/healthz`);
    expect(health.status).toBe(200);
    await expect(h.client(tokens.admin).ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
  });
});
