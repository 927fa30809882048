import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import type { AppRouter } from '@aws-trpc/api';
import { catalog, type ServiceName } from '@aws-trpc/shared';
import { NormalizedSchema } from '@smithy/core/schema';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

/**
 * Bad input for many operations of both services, cases derived from the SDK's own schemas (the
 * test picks the member; the expectation is the path it broke). Every call must answer BAD_REQUEST
 * naming that path, and the emulator must see no request at all.
 */

interface Case {
  service: ServiceName;
  procedure: string;
  kind: 'query' | 'mutation';
  input: Record<string, unknown>;
  path: string;
  what: 'misspelled key' | 'wrong type' | 'missing required';
}

// [9, namespace, name, traits, input, output]: the operation schema's input member.
function inputSchema(service: ServiceName, operation: string): NormalizedSchema {
  const sdk = (service === 'ec2' ? ec2Sdk : elbSdk) as unknown as Record<string, unknown[]>;
  const op = sdk[`${operation}$`];
  if (!op) throw new Error(`no ${operation}$ in the ${service} SDK`);
  return NormalizedSchema.of(op[4] as never);
}

function requiredCount(service: ServiceName, operation: string): number {
  const sdk = (service === 'ec2' ? ec2Sdk : elbSdk) as unknown as Record<string, unknown[]>;
  const raw = (sdk[`${operation}$`] as unknown[])[4];
  const tuple = (typeof raw === 'function' ? (raw as () => unknown)() : raw) as unknown[];
  return typeof tuple[6] === 'number' ? tuple[6] : 0;
}

function wrongValue(member: NormalizedSchema): unknown | undefined {
  if (member.isStringSchema()) return 42;
  if (member.isNumericSchema()) return 'forty-two';
  if (member.isBooleanSchema()) return 'yes';
  if (member.isListSchema()) return 'not-a-list';
  if (member.isStructSchema()) return ['not', 'a', 'structure'];
  return undefined;
}

function casesFor(service: ServiceName, limit: number): Case[] {
  const cases: Case[] = [];
  let operations = 0;
  for (const entry of catalog[service].operations) {
    if (operations >= limit) break;
    const schema = inputSchema(service, entry.operation);
    const members = [...schema.structIterator()].filter(([, m]) => !m.isIdempotencyToken());
    const required = requiredCount(service, entry.operation);
    const first = members[0];
    if (!first || required === 0) continue;
    const typed = members.find(([, m]) => wrongValue(m) !== undefined);
    if (!typed) continue;
    operations++;
    const [name] = first;
    const base = { service, procedure: entry.procedure, kind: entry.kind };
    const misspelled = name[0]?.toLowerCase() + name.slice(1);
    cases.push({ ...base, input: { [misspelled]: 'x' }, path: misspelled, what: 'misspelled key' });
    cases.push({ ...base, input: { [typed[0]]: wrongValue(typed[1]) }, path: typed[0], what: 'wrong type' });
    cases.push({ ...base, input: {}, path: name, what: 'missing required' });
  }
  return cases;
}

const cases = [...casesFor('ec2', 40), ...casesFor('elb', 20)];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('input validation', () => {
  it('covers at least 50 operations across both services', () => {
    const ops = new Set(cases.map((c) => `${c.service}.${c.procedure}`));
    expect(ops.size).toBeGreaterThanOrEqual(50);
    expect(cases.some((c) => c.service === 'elb')).toBe(true);
  });

  it.each(cases.map((c) => [`${c.service}.${c.procedure}`, c.what, c] as const))(
    '%s: %s → BAD_REQUEST naming the path',
    async (_name, _what, c) => {
      const procedures = h.client[c.service] as unknown as Record<
        string,
        { query(i: unknown): Promise<unknown>; mutate(i: unknown): Promise<unknown> }
      >;
      const procedure = procedures[c.procedure];
      if (!procedure) throw new Error(`client has no ${c.service}.${c.procedure}`);
      const call = c.kind === 'query' ? procedure.query(c.input) : procedure.mutate(c.input);
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data;
      expect(data?.code).toBe('BAD_REQUEST');
      expect(data?.validation?.map((i) => i.path.join('.'))).toContain(c.path);
      expect((error as Error).message).toContain(c.path);
    },
  );

  it('sent nothing upstream', () => {
    expect(h.emu.control.requests.count()).toBe(0);
  });
});
