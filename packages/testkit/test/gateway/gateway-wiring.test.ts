import { catalog, transformer } from '@aws-trpc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSecuredGateway, tokens } from './security-harness';

/**
 * The pieces wired together by createGateway and the HTTP server: Retry-After on rate-limited calls,
 * the poller state on /metrics, strict stream inputs, and `gateway.whoami`.
 */

let h: Harness;
let virtualNow = 0;
beforeAll(async () => {
  h = await startSecuredGateway({
    logLevel: 'info',
    security: { now: () => virtualNow },
  });
});
afterAll(() => h?.close());

/** A raw tRPC query over HTTP, as any HTTP client sends it. */
function query(path: string, token: string, input: unknown = {}) {
  const encoded = encodeURIComponent(JSON.stringify(transformer.serialize(input)));
  return fetch(`${h.url}/${path}?input=${encoded}`, { headers: { authorization: `Bearer ${token}` } });
}

/**
 * Opens an SSE subscription and reads until its first data event or error; returns what came first
 * and a function that closes the stream.
 */
async function openStream(path: string, token: string, input: unknown) {
  const ac = new AbortController();
  const encoded = encodeURIComponent(JSON.stringify(transformer.serialize(input)));
  const res = await fetch(`${h.url}/${path}?input=${encoded}`, {
    signal: ac.signal,
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first: { kind: 'data' | 'error'; text: string } | undefined;
  for (let i = 0; i < 1_000 && reader && !first; i++) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    // SSE events end with a blank line; tRPC's own `connected` and `ping` events are not data.
    for (const event of text.split('\n\n').slice(0, -1)) {
      const type = /^event: (.*)$/m.exec(event)?.[1];
      const data = /^data: (.*)$/m.exec(event)?.[1] ?? '';
      if (type === 'serialized-error') first ??= { kind: 'error', text: data };
      else if (type === undefined && data) first ??= { kind: 'data', text: data };
    }
  }
  return { first, close: () => ac.abort() };
}

describe('rate-limited calls', () => {
  it('carry a Retry-After header and data.retryAfterSeconds', async () => {
    expect((await query('ec2.describeVpcs', tokens.slow)).status).toBe(200);
    expect((await query('ec2.describeVpcs', tokens.slow)).status).toBe(200);
    const refused = await query('ec2.describeVpcs', tokens.slow);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { error: { json?: unknown } };
    const error = transformer.deserialize(body.error) as {
      data: { code: string; retryAfterSeconds?: number };
    };
    expect(error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(error.data.retryAfterSeconds).toBe(1);
    // Other errors say nothing of a retry-after.
    const forbidden = await query('ec2.runInstances', tokens.reader);
    expect(forbidden.headers.get('retry-after')).toBeNull();
    virtualNow += 1_000;
  });
});

describe('poller state on /metrics', () => {
  it('shows the region polling while a subscription is open', async () => {
    const stream = await openStream('ec2.onInstanceStateChange', tokens.admin, {});
    try {
      expect(stream.first?.kind).toBe('data');
      expect(stream.first?.text).toContain('"snapshot"');
      const metrics = await (await fetch(`${h.origin}/metrics`)).text();
      expect(metrics).toContain('aws_trpc_poller_state{region="us-east-1",state="polling"} 1');
    } finally {
      stream.close();
    }
  });
});

describe('strict stream inputs', () => {
  it('refuses an unknown key of onInstanceStateChange, naming it', async () => {
    const stream = await openStream('ec2.onInstanceStateChange', tokens.admin, { InstanceIds: ['i-1'] });
    expect(stream.first?.kind).toBe('error');
    expect(stream.first?.text).toContain('BAD_REQUEST');
    expect(stream.first?.text).toContain('InstanceIds');
  });

  it('refuses a waiter input that is not an object, or has an unknown key', async () => {
    const notObject = await openStream('ec2.waitUntilInstanceRunning', tokens.admin, 42);
    expect(notObject.first?.kind).toBe('error');
    expect(notObject.first?.text).toContain('BAD_REQUEST');
    const unknownKey = await openStream('ec2.waitUntilInstanceRunning', tokens.admin, {
      instanceIds: ['i-1'],
    });
    expect(unknownKey.first?.text).toContain('BAD_REQUEST');
    expect(unknownKey.first?.text).toContain('instanceIds');
  });
});

describe('gateway.whoami', () => {
  it("answers a read-only token's name, patterns and procedures, without hashes or audit records", async () => {
    const audits = () => h.logs.text.split('"audit":').length;
    const auditBefore = audits();
    const me = await h.client(tokens.reader).gateway.whoami.query();
    expect(me).toMatchObject({ principal: 'reader', authRequired: true, allow: ['ec2:read', 'elb:read'] });
    expect(me.regions).toBeNull();
    expect(me.procedures.ec2).toContain('describeInstances');
    expect(me.procedures.ec2).not.toContain('runInstances');
    expect(me.procedures.elb).toContain('describeLoadBalancers');
    expect(me.procedures.elb).not.toContain('createLoadBalancer');
    expect(JSON.stringify(me)).not.toMatch(/sha256|[0-9a-f]{64}/);
    expect(audits()).toBe(auditBefore);
  });

  it('lists every catalog procedure for an admin, and the regions of a region-bound token', async () => {
    const admin = await h.client(tokens.admin).gateway.whoami.query();
    expect(admin.procedures.ec2).toHaveLength(catalog.ec2.operations.length);
    expect(admin.procedures.elb).toHaveLength(catalog.elb.operations.length);
    // Any authenticated token may ask, whatever region the call names.
    const eu = await h.client(tokens.euOnly, { region: 'us-east-1' }).gateway.whoami.query();
    expect(eu.regions).toEqual(['eu-west-1']);
    expect(eu.procedures.ec2.every((p: string) => p.startsWith('describe'))).toBe(true);
    expect(eu.procedures.elb).toEqual([]);
  });

  it('answers UNAUTHORIZED without a token', async () => {
    const error = await h
      .client(undefined)
      .gateway.whoami.query()
      .catch((e: { data?: { code?: string } }) => e);
    expect(error.data?.code).toBe('UNAUTHORIZED');
  });
});
