import { hashToken } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../src/index';
import { type Harness, LogCapture, startSecuredGateway, testAuth, tokens } from './security-harness';

const streamer = 'atrpc_test-streamer';
let h: Harness;
beforeAll(async () => {
  h = await startSecuredGateway({
    logLevel: 'silent',
    security: {
      http: { maxBodyBytes: 64 * 1024, maxBatchSize: 5 },
      auth: {
        tokens: [
          ...testAuth.tokens,
          {
            name: 'streamer',
            sha256: hashToken(streamer),
            allow: ['ec2:read'],
            limits: { maxSubscriptions: 2 },
          },
        ],
      },
    },
  });
});
afterAll(() => h?.close());

const post = (path: string, body: string, token: string = tokens.admin) =>
  fetch(`${h.url}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });

/** Opens an SSE subscription; resolves once the server has answered its first bytes. */
async function open(token: string) {
  const ac = new AbortController();
  const input = encodeURIComponent(JSON.stringify(transformer.serialize({ snapshot: true })));
  const res = await fetch(`${h.url}/ec2.onInstanceStateChange?input=${input}`, {
    signal: ac.signal,
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  const reader = res.body!.getReader();
  let text = '';
  for (let i = 0; i < 100 && !/event: (serialized-error|connected)/.test(text); i++) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  return { text, close: () => ac.abort() };
}

describe('HTTP limits', () => {
  it('answers PAYLOAD_TOO_LARGE (413) above the body limit, before AWS', async () => {
    h.emulator.control.requests.clear();
    const res = await post(
      'ec2.describeInstances',
      JSON.stringify({ j: { InstanceIds: Array(20_000).fill('i-0123456789abcdef0') } }),
    );
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('PAYLOAD_TOO_LARGE');
    expect(h.emulator.control.requests.count()).toBe(0);
  });

  it('refuses a batch larger than the limit', async () => {
    const paths = Array(6).fill('ec2.describeVpcs').join(',');
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [i, { j: {} }])));
    const res = await post(`${paths}?batch=1`, body);
    expect(res.status).toBe(400);
    const ok = await post(
      `${Array(5).fill('ec2.describeVpcs').join(',')}?batch=1`,
      JSON.stringify({ 0: { j: {} }, 1: { j: {} }, 2: { j: {} }, 3: { j: {} }, 4: { j: {} } }),
    );
    expect(ok.status).toBe(200);
  });

  it('serves /metrics and /readyz from the gateway itself', async () => {
    const metrics = await fetch(`${h.origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain(
      'aws_trpc_requests_total{procedure="ec2.describeVpcs",kind="query",outcome="ok"}',
    );
    const ready = await fetch(`${h.origin}/readyz`);
    expect(ready.status).toBe(200);
  });
});

describe('subscriptions per token', () => {
  it('caps concurrent subscriptions, frees the slot when a client goes away, and authorizes like the read', async () => {
    const a = await open(streamer);
    const b = await open(streamer);
    expect(a.text).not.toContain('serialized-error');
    expect(b.text).not.toContain('serialized-error');
    const c = await open(streamer);
    expect(c.text).toContain('serialized-error');
    expect(c.text).toContain('TOO_MANY_REQUESTS');
    expect(c.text).toContain("token 'streamer' already has 2 open subscriptions (max 2)");
    c.close();
    a.close();
    // The server sees the disconnect asynchronously: wait on the limiter, bounded, no timer.
    for (let i = 0; i < 100_000 && h.security.subscriptions.active('streamer') > 1; i++) {
      await new Promise((r) => setImmediate(r));
    }
    expect(h.security.subscriptions.active('streamer')).toBe(1);
    const d = await open(streamer);
    expect(d.text).not.toContain('serialized-error');
    d.close();
    b.close();
    // Subscriptions are authorized like the read: this token may not use the call's region.
    const eu = await open(tokens.euOnly);
    expect(eu.text).toContain('FORBIDDEN');
    eu.close();
  });
});

describe('without an auth file', () => {
  it('runs every caller as anonymous with every permission (loopback only, see checkBindSafety)', async () => {
    const logs = new LogCapture();
    const g = await startStack({
      upstream: { endpoint: h.emulator.url },
      log: { level: 'info', destination: logs },
    });
    const { url } = g;
    try {
      const res = await fetch(`${url}/ec2.createSecurityGroup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ j: { GroupName: 'anon', Description: 'made without a token' } }),
      });
      expect(res.status).toBe(200);
      // Without an audit file, the audit record goes to the log.
      expect(logs.text).toMatch(
        /"audit":\{[^}]*"principal":"anonymous","time":"[^"]+","operation":"ec2:CreateSecurityGroup"/,
      );
    } finally {
      await g.close();
    }
  });
});
