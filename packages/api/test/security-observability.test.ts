import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../src/aws';
import { emulatorCredentials } from '../src/config';
import { metricsHandler } from '../src/observability/metricsHandler';
import { createReadinessProbe, readyzHandler } from '../src/observability/readiness';
import { retryAfterResponseMeta } from '../src/security/retryAfterHeader';
import { type Harness, startSecuredGateway, tokens } from './security-harness';

let h: Harness;
let virtualNow = 0;
beforeAll(async () => {
  h = await startSecuredGateway({ logLevel: 'silent', security: { now: () => virtualNow } });
});
afterAll(() => h?.close());

/** Serves one handler on a loopback port, as the gateway's server does for /metrics and /readyz. */
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) {
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { get: () => fetch(url), close: () => new Promise((r) => server.close(r)) };
}

describe('rate limit per token', () => {
  it('answers TOO_MANY_REQUESTS past the burst, with a retry-after, before any AWS call; refills with time', async () => {
    const c = h.client(tokens.slow, { batch: false });
    await c.ec2.describeVpcs.query({});
    await c.ec2.describeVpcs.query({});
    const before = h.emulator.control.requests.count();
    const error = await c.ec2.describeVpcs.query({}).catch((e: any) => e);
    expect(error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/rate limit of token 'slow' exceeded \(1\/s, burst 2\); retry after 1s/);
    expect(h.emulator.control.requests.count()).toBe(before);
    // Other tokens are not affected.
    await expect(h.client(tokens.reader).ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
    virtualNow += 1_000;
    await expect(c.ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
  });

  it('gives the HTTP layer a Retry-After header for the refused calls of a response', () => {
    let refused: unknown;
    try {
      for (let i = 0; i < 5; i++)
        h.security.rateLimiter.take({
          name: 'x',
          allow: [],
          regions: undefined,
          limits: { requestsPerSecond: 0.5, burst: 1 },
        });
    } catch (e) {
      refused = e;
    }
    expect(retryAfterResponseMeta({ errors: [new Error('other'), refused] })).toEqual({
      headers: { 'retry-after': '2' },
    });
    expect(retryAfterResponseMeta({ errors: [new Error('other')] })).toEqual({});
  });
});

describe('metrics', () => {
  it('exposes requests by procedure and outcome, latency, upstream calls, throttling on /metrics', async () => {
    await h.client(tokens.admin).ec2.describeInstances.query({});
    await h
      .client(tokens.reader)
      .ec2.rebootInstances.mutate({ InstanceIds: ['i-0123456789abcdef0'] })
      .catch(() => {});
    await h
      .client(tokens.admin)
      .ec2.describeInstances.query({ InstanceIds: ['i-0123456789abcdef0'] })
      .catch(() => {});
    const s = await serve(metricsHandler(h.observability.metrics));
    const res = await s.get();
    const text = await res.text();
    await s.close();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /aws_trpc_requests_total\{procedure="ec2.describeInstances",kind="query",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(
      /aws_trpc_requests_total\{procedure="ec2.rebootInstances",kind="mutation",outcome="FORBIDDEN"\} 1/,
    );
    expect(text).toMatch(
      /aws_trpc_requests_total\{procedure="ec2.describeInstances",kind="query",outcome="NOT_FOUND"\} 1/,
    );
    expect(text).toMatch(
      /aws_trpc_request_duration_seconds_count\{procedure="ec2.describeInstances",kind="query"\} [2-9]/,
    );
    expect(text).toMatch(
      /aws_trpc_upstream_calls_total\{service="ec2",operation="DescribeInstances",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(
      /aws_trpc_upstream_calls_total\{service="ec2",operation="DescribeInstances",outcome="InvalidInstanceID.NotFound"\} 1/,
    );
    expect(text).toMatch(/aws_trpc_throttled_total\{source="gateway",reason="rate"\} [1-9]/);
  });

  it('counts upstream throttling per attempt, and keeps one poller state per region', async () => {
    h.emulator.control.faults.throttle(1, { action: 'DescribeKeyPairs' });
    await h.client(tokens.admin).ec2.describeKeyPairs.query({});
    const m = h.observability.metrics;
    m.pollerState('us-east-1', 'polling');
    m.pollerState('us-east-1', 'degraded');
    const text = await m.registry.metrics();
    expect(text).toMatch(/aws_trpc_throttled_total\{source="upstream",reason="RequestLimitExceeded"\} 1/);
    expect(text).toMatch(
      /aws_trpc_upstream_calls_total\{service="ec2",operation="DescribeKeyPairs",outcome="ok"\} 1/,
    );
    expect(text).toContain('aws_trpc_poller_state{region="us-east-1",state="polling"} 0');
    expect(text).toContain('aws_trpc_poller_state{region="us-east-1",state="degraded"} 1');
  });
});

describe('readiness', () => {
  it('is ready when the upstream answers, caching the answer so probes are not upstream load', async () => {
    let now = 0;
    const probe = createReadinessProbe(h.gateway.deps.aws, { cacheMs: 5_000, now: () => now });
    const before = h.emulator.control.requests.count({ action: 'DescribeRegions' });
    const s = await serve(readyzHandler(probe));
    const res = await s.get();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
    await s.get();
    expect(h.emulator.control.requests.count({ action: 'DescribeRegions' })).toBe(before + 1);
    now += 5_000;
    await s.get();
    expect(h.emulator.control.requests.count({ action: 'DescribeRegions' })).toBe(before + 2);
    await s.close();
  });

  it('is not ready (503) when the upstream is unreachable, and says so', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const aws = createAwsClients({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: emulatorCredentials,
      maxAttempts: 1,
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 1_000,
    });
    const s = await serve(readyzHandler(createReadinessProbe(aws, { timeoutMs: 1_000 })));
    const res = await s.get();
    await s.close();
    aws.destroy();
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^upstream unreachable: /);
  });
});
