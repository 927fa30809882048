import http from 'node:http';
import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { createGateway } from '@aws-trpc/api';
import { NormalizedSchema } from '@smithy/core/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProcedures,
  callCode,
  type Harness,
  type ProcedureInfo,
  startSecuredGateway,
  tokens,
} from './security-harness';

/**
 * Malformed input for every procedure: wrong types, unknown keys, oversized strings and arrays, deep
 * nesting, `__proto__`/`constructor` keys and lone UTF-16 surrogates. Each must be refused as
 * BAD_REQUEST or PAYLOAD_TOO_LARGE (never a 500), nothing may reach AWS, and the gateway must stay up.
 * Then invalid UTF-8 and every HTTP method over every procedure: never a 5xx.
 */

let h: Harness;
beforeAll(async () => {
  h = await startSecuredGateway({ logLevel: 'silent' });
});
afterAll(() => h?.close());

// The router itself (shared by every gateway of the process), walked before any gateway listens.
const procedures = allProcedures(createGateway().router);
// A subscription's input travels in the URL (SSE is a GET): past Node's header limit, its HTTP
// parser answers 431 before tRPC runs, which is the same refusal for a URL.
const accepted = new Set(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'HTTP 431']);

function inputMembers(p: ProcedureInfo): [string, NormalizedSchema][] {
  // gateway.whoami has no AWS operation (no meta): only the generic malformations apply.
  if (!p.meta) return [];
  const sdk = (p.meta.service === 'ec2' ? ec2Sdk : elbSdk) as unknown as Record<string, unknown[]>;
  const op = sdk[`${p.meta.operation}$`];
  return op ? [...NormalizedSchema.of(op[4] as never).structIterator()] : [];
}

/** A value of the wrong type for a member (a string where a list is expected, and so on). */
function wrongFor(m: NormalizedSchema): fc.Arbitrary<unknown> {
  if (m.isStringSchema())
    return fc.oneof(fc.integer(), fc.boolean(), fc.dictionary(fc.string(), fc.string()));
  if (m.isNumericSchema()) return fc.oneof(fc.string(), fc.boolean(), fc.array(fc.integer()));
  if (m.isBooleanSchema()) return fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.object());
  if (m.isListSchema()) return fc.oneof(fc.string(), fc.integer(), fc.constant({ not: 'a list' }));
  if (m.isStructSchema())
    return fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer(), { minLength: 1 }));
  if (m.isTimestampSchema()) return fc.oneof(fc.boolean(), fc.array(fc.integer(), { minLength: 1 }));
  return fc.constant(Symbol.for('skip'));
}

/** A string holding one lone UTF-16 surrogate (high or low), somewhere in otherwise fine text. */
const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 8 }))
  .map(
    ([a, unit, b]) => `${a.replace(/\p{Cs}/gu, '')}${String.fromCharCode(unit)}${b.replace(/\p{Cs}/gu, '')}`,
  );

/** A lone surrogate where a string goes: a string member, an item of a list of strings, or a key. */
function withLoneSurrogate(members: [string, NormalizedSchema][]): fc.Arbitrary<unknown> {
  const targets = members.filter(
    ([, m]) => m.isStringSchema() || (m.isListSchema() && m.getValueSchema().isStringSchema()),
  );
  const asKey = loneSurrogate.map((k) => ({ [k]: 'v' }));
  if (targets.length === 0) return asKey;
  return fc.oneof(
    asKey,
    fc
      .tuple(fc.constantFrom(...targets), loneSurrogate)
      .map(([[name, m], bad]) => ({ [name]: m.isListSchema() ? ['fine', bad] : bad })),
  );
}

/** AWS members are PascalCase; a key starting with a lowercase `x` is never one of them. */
const unknownKey = fc.string({ minLength: 1, maxLength: 30 }).map((s) => `x${s}`);

/** JSON.stringify, except that a too-deep value is written by hand (JSON.stringify would overflow). */
function rawJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return 'null';
  }
}

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
  const wrongType =
    members.length > 0
      ? fc.constantFrom(...members).chain(([name, m]) =>
          wrongFor(m)
            .filter((v) => v !== Symbol.for('skip'))
            .map((v) => ({ [name]: v })),
        )
      : fc.constant(42);
  return fc.oneof(
    // wrong type at the root
    fc.oneof(
      fc.integer(),
      fc.string({ minLength: 1 }),
      fc.boolean(),
      fc.array(fc.anything(), { minLength: 1 }),
    ),
    // wrong type for a real member
    wrongType,
    // unknown keys with arbitrary values
    fc.dictionary(unknownKey, fc.anything(), { minKeys: 1, maxKeys: 5 }),
    protoKeys,
    // lone UTF-16 surrogates (the SDK's serializer would throw `URI malformed` on them)
    withLoneSurrogate(members),
    // oversized strings and arrays
    fc.record({ xOversized: fc.integer({ min: 20_000, max: 200_000 }).map((n) => 'A'.repeat(n)) }),
    fc.integer({ min: 5_000, max: 30_000 }).map((n) => ({ xHuge: Array.from({ length: n }, (_, i) => i) })),
    // deep nesting, under a real member name when there is one
    fc
      .integer({ min: p.type === 'subscription' ? 40 : 150, max: p.type === 'subscription' ? 90 : 3_000 })
      .map((d) => ({ [members[0]?.[0] ?? 'xDeep']: deep(d, 'leaf') })),
  );
}

/** The tRPC code of a raw POST, as a hostile client sends it: any JSON, no client-side checks. */
async function rawCode(p: ProcedureInfo, body: string): Promise<string> {
  const res = await fetch(`${h.url}/${p.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
    body,
  });
  const text = await res.text();
  const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
  return code ?? `HTTP ${res.status}: ${text.slice(0, 120)}`;
}

describe('fuzz: malformed input for every procedure', () => {
  const check = async (client: unknown, p: ProcedureInfo, input: unknown, failures: string[]) => {
    // Queries and mutations get raw bytes (the client's own transformer would refuse some of them);
    // subscriptions go through the SSE client.
    const code =
      p.type === 'subscription'
        ? await callCode(client, p, input)
        : await rawCode(p, `{"j":${rawJson(input)}}`);
    if (!accepted.has(code)) failures.push(`${p.path}: ${code} for ${rawJson(input).slice(0, 200)}`);
    return accepted.has(code);
  };

  async function fuzz(list: ProcedureInfo[], numRuns: number) {
    h.emulator.control.requests.clear();
    const client = h.client(tokens.admin, { batch: false });
    const failures: string[] = [];
    // 1. A sweep: every procedure gets one generated malformed input (fixed seed, reproducible).
    for (let i = 0; i < list.length && failures.length < 20; i += 8) {
      await Promise.all(
        list.slice(i, i + 8).map((p, j) => {
          const [input] = fc.sample(malformed(p), { numRuns: 1, seed: i + j });
          return check(client, p, input, failures);
        }),
      );
    }
    // 2. A property over random procedures and malformations.
    await fc
      .assert(
        fc.asyncProperty(
          fc.constantFrom(...list).chain((p) => fc.tuple(fc.constant(p), malformed(p))),
          ([p, input]) => check(client, p, input, failures),
        ),
        { numRuns, seed: 42, endOnFailure: true },
      )
      .catch(() => {});
    if (failures.length)
      throw new Error(`${failures.length} malformed inputs were not refused:\n${failures.join('\n')}`);
    expect(h.emulator.control.requests.count()).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await fetch(`${h.origin}/healthz`);
    expect(health.status).toBe(200);
    await expect(h.client(tokens.admin).ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
  }

  it('queries and mutations: BAD_REQUEST or PAYLOAD_TOO_LARGE, nothing reaches AWS, the gateway stays up', async () => {
    const list = procedures.filter((p) => p.type !== 'subscription');
    expect(list.length).toBeGreaterThan(800);
    await fuzz(list, 150);
  }, 300_000);

  it('subscriptions (streams and waiters): the same', async () => {
    const list = procedures.filter((p) => p.type === 'subscription');
    expect(list.length).toBeGreaterThan(0);
    await fuzz(list, 60);
  }, 300_000);
});

/** The HTTP methods Node knows, except CONNECT (a tunnel request, tested in security-hardening). */
const methods = http.METHODS.filter((m) => m !== 'CONNECT');

/** Status and body of a raw request, bytes as given. */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });
afterAll(() => keepAlive.destroy());

function send(
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // Other methods get a connection each: after a body the server did not read (a 405), Node parses
    // the rest of the connection as a new request (for M-SEARCH, a bodiless method, the body itself).
    const agent = method === 'GET' || method === 'POST' ? keepAlive : false;
    const req = http.request(`${h.url}/${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        // An SSE stream: its first frames tell; the rest is not awaited.
        text += d;
        if (
          res.headers['content-type']?.includes('text/event-stream') &&
          /\n\n(id: .*\n)?data: |serialized-error/.test(text)
        ) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
    req.end(body);
  });
}

/** Request bodies (queries and mutations) whose bytes are not valid UTF-8, or hold escaped lone surrogates. */
const invalidBodies: Buffer[] = [
  // Invalid UTF-8 inside a string, under an unknown key.
  Buffer.concat([Buffer.from('{"j":{"xName":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}}')]),
  // Invalid bytes outside any string: not JSON.
  Buffer.concat([Buffer.from('{"j":'), Buffer.from([0xc3, 0x28]), Buffer.from('}')]),
  // An overlong encoding and a UTF-8-encoded surrogate (CESU-8), which decoders replace.
  Buffer.concat([
    Buffer.from('{"j":{"xKey":"'),
    Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
    Buffer.from('"}}'),
  ]),
  // Escaped lone surrogates: a key, and a low one before a high one.
  Buffer.from('{"j":{"\\udc00":1}}'),
  Buffer.from('{"j":{"xValue":"\\udc00\\ud800"}}'),
  // A byte-order mark before the JSON.
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"j":{}}')]),
];

/** Subscription inputs (in the URL): percent-encoded invalid UTF-8, and an escaped lone surrogate. */
const invalidQueries = [
  'input=%7B%22j%22%3A%7B%22xName%22%3A%22%FF%FE%22%7D%7D',
  'input=%7B%22j%22%3A%7B%22xName%22%3A%22%ED%A0%80%22%7D%7D',
  `input=${encodeURIComponent('{"j":{"InstanceIds":["\\ud800"]}}')}`,
  'input=%FF%FE',
];

describe('fuzz: invalid Unicode and every HTTP method over every procedure', () => {
  it('never answers a 5xx; unsupported methods get 405 with Allow, without a token', async () => {
    const failures: string[] = [];
    const auth = { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' };
    const jobs: (() => Promise<void>)[] = [];
    for (const [i, p] of procedures.entries()) {
      const method = methods[i % methods.length]!;
      // Every method over every procedure (rotating, so each method meets every kind of procedure).
      jobs.push(async () => {
        const res = await send(
          method,
          p.path,
          method === 'GET' || method === 'HEAD' ? undefined : Buffer.from('{"j":{}}'),
        );
        const allowed = method === 'GET' || method === 'POST';
        if (res.status >= 500 || (!allowed && res.status !== 405))
          failures.push(`${method} ${p.path}: ${res.status}`);
      });
      // Invalid Unicode in the input.
      if (p.type === 'subscription') {
        const query = invalidQueries[i % invalidQueries.length]!;
        jobs.push(async () => {
          const res = await send('GET', `${p.path}?${query}`, undefined, {
            ...auth,
            accept: 'text/event-stream',
          });
          if (res.status >= 500 || /INTERNAL_SERVER_ERROR/.test(res.text))
            failures.push(`GET ${p.path}?${query}: ${res.status} ${res.text.slice(0, 160)}`);
        });
      } else {
        const body = invalidBodies[i % invalidBodies.length]!;
        jobs.push(async () => {
          const res = await send('POST', p.path, body, auth);
          if (res.status >= 500)
            failures.push(`POST ${p.path} ${body.toString('hex')}: ${res.status} ${res.text.slice(0, 160)}`);
        });
      }
    }
    // Bounded concurrency: eight at a time.
    for (let i = 0; i < jobs.length && failures.length < 20; i += 8)
      await Promise.all(jobs.slice(i, i + 8).map((j) => j()));
    expect(failures).toEqual([]);
    expect(jobs.length).toBeGreaterThan(2 * 800);
    expect((await fetch(`${h.origin}/healthz`)).status).toBe(200);
  }, 300_000);
});
