import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSecuredGateway, tokens } from './security-harness';

let h: Harness;
let virtualNow = 0;
beforeAll(async () => {
  h = await startSecuredGateway({ logLevel: 'silent', security: { now: () => virtualNow } });
});
afterAll(() => h?.close());

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
    const res = await fetch(`${h.origin}/metrics`);
    const text = await res.text();
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
