import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { VirtualScheduler } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../src/index';
import { type Harness, startSecuredGateway, testAuth, tokens } from './security-harness';

/**
 * Upstream faults through the emulator's fault injection: the gateway maps each to a clear code,
 * retries a bounded number of times, and stays up.
 */

const codeOf = (e: any) => e?.data?.code as string | undefined;

describe('throttling and 5xx (maxAttempts 3)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSecuredGateway({ logLevel: 'silent', gateway: { maxAttempts: 3 } });
  });
  afterAll(() => h?.close());

  it('retries through transient throttling and succeeds', async () => {
    h.emulator.control.requests.clear();
    h.emulator.control.faults.throttle(2, { action: 'DescribeVpcs' });
    await expect(h.client(tokens.admin).ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
    expect(h.emulator.control.requests.count({ action: 'DescribeVpcs' })).toBe(3);
  });

  it('maps persistent throttling to TOO_MANY_REQUESTS after exactly maxAttempts', async () => {
    h.emulator.control.requests.clear();
    h.emulator.control.faults.throttle(10, { action: 'DescribeSubnets' });
    const e = await h
      .client(tokens.admin)
      .ec2.describeSubnets.query({})
      .catch((x: unknown) => x);
    expect(codeOf(e)).toBe('TOO_MANY_REQUESTS');
    expect(e.data.aws).toMatchObject({ code: 'RequestLimitExceeded', retryable: true });
    expect(h.emulator.control.requests.count({ action: 'DescribeSubnets' })).toBe(3);
    h.emulator.control.faults.clear();
  });

  it('maps persistent 500s to BAD_GATEWAY or SERVICE_UNAVAILABLE, bounded, and audits the failed mutation', async () => {
    h.emulator.control.requests.clear();
    h.emulator.control.faults.fail(10, { action: 'CreateSecurityGroup', code: 'InternalError', status: 500 });
    const e = await h
      .client(tokens.admin)
      .ec2.createSecurityGroup.mutate({ GroupName: 'g', Description: 'd' })
      .catch((x: unknown) => x);
    expect(['BAD_GATEWAY', 'SERVICE_UNAVAILABLE']).toContain(codeOf(e));
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace
    expect(h.emulator.control.requests.count({ action: 'CreateSecurityGroup' })).toBe(3);
    h.emulator.control.faults.clear();
    await expect(h.client(tokens.admin).ec2.describeVpcs.query({})).resolves.toHaveProperty('Vpcs');
  });
});

describe('slow upstream', () => {
  let h: Harness;
  beforeAll(async () => {
    // The gateway's own deadline (800 ms) is shorter than the SDK's socket timeout here.
    h = await startSecuredGateway({
      logLevel: 'silent',
      gateway: { maxAttempts: 1, requestTimeoutMs: 10_000 },
      security: { requestTimeoutMs: 800 },
    });
  });
  afterAll(() => h?.close());

  it('answers GATEWAY_TIMEOUT at the deadline, then serves normally once AWS is fast again', async () => {
    h.emulator.control.faults.latency(3_000, { action: 'DescribeAddresses' });
    const started = performance.now();
    const e = await h
      .client(tokens.admin)
      .ec2.describeAddresses.query({})
      .catch((x: unknown) => x);
    expect(codeOf(e)).toBe('GATEWAY_TIMEOUT');
    expect(e.message).toContain("gateway's timeout of 800 ms");
    expect(performance.now() - started).toBeLessThan(2_900);
    h.emulator.control.faults.clear();
    await expect(h.client(tokens.admin).ec2.describeAddresses.query({})).resolves.toHaveProperty('Addresses');
  });
});

describe('endpoint killed in the middle of a request', () => {
  let h: Harness;
  let proxy: net.Server;
  const sockets = new Set<net.Socket>();
  let upstreamPort: number;

  beforeAll(async () => {
    // A TCP relay in front of the emulator, which the test can kill mid-request.
    h = await startSecuredGateway({ logLevel: 'silent' });
    upstreamPort = Number(new URL(h.emulator.url).port);
    proxy = net.createServer((client) => {
      const upstream = net.connect(upstreamPort, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
    await h?.close();
  });

  it('maps the dropped connection to SERVICE_UNAVAILABLE, bounded, and the gateway stays up', async () => {
    const port = (proxy.address() as AddressInfo).port;
    const g = await startStack({
      upstream: { endpoint: `http://127.0.0.1:${port}` },
      auth: testAuth,
      gateway: { maxAttempts: 2 },
    });
    const { url, origin } = g;
    try {
      h.emulator.control.faults.latency(2_000, { action: 'DescribeInstances' });
      h.emulator.control.requests.clear();
      const call = fetch(`${url}/ec2.describeInstances`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ j: {} }),
      });
      // Kill the endpoint once the request has reached it (no sleep: wait on the emulator's counter).
      for (
        let i = 0;
        i < 100_000 && h.emulator.control.requests.count({ action: 'DescribeInstances' }) === 0;
        i++
      ) {
        await new Promise((r) => setImmediate(r));
      }
      expect(h.emulator.control.requests.count({ action: 'DescribeInstances' })).toBe(1);
      proxy.close();
      for (const s of sockets) s.destroy();
      const res = await call;
      const body = await res.text();
      expect(res.status).toBe(503);
      expect(body).toContain('SERVICE_UNAVAILABLE');
      expect(body).not.toMatch(/\n\s+at /);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    } finally {
      h.emulator.control.faults.clear();
      await g.close();
    }
  });
});

describe('pollers under upstream faults', () => {
  let h: Harness;
  let scheduler: VirtualScheduler;
  beforeAll(async () => {
    h = await startSecuredGateway({
      logLevel: 'silent',
      gateway: { maxAttempts: 1 },
      streams: { fastIntervalMs: 1_000, slowIntervalMs: 5_000 },
    });
    scheduler = h.stack.clock!;
  });
  afterAll(() => h?.close());

  it('reports degraded while DescribeInstances fails, then recovers by itself; the stream stays open', async () => {
    const ac = new AbortController();
    const input = encodeURIComponent(JSON.stringify(transformer.serialize({ snapshot: true })));
    const res = await fetch(`${h.url}/ec2.onInstanceStateChange?input=${input}`, {
      signal: ac.signal,
      headers: { authorization: `Bearer ${tokens.reader}`, accept: 'text/event-stream' },
    });
    const reader = res.body!.getReader();
    let text = '';
    /** Reads the stream until `pattern` shows up, advancing the virtual scheduler between reads. */
    let pending = reader.read();
    /** Reads until `pattern` shows up; the poll that writes it has already run (advance awaits polls). */
    const readUntil = async (pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(text); i++) {
        const chunk = await pending;
        if (chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
        pending = reader.read();
      }
      return pattern.test(text);
    };
    /** Moves virtual time one second at a time, one advance after the other, until `done`. */
    const advanceUntil = async (done: () => boolean) => {
      for (let i = 0; i < 120 && !done(); i++) await scheduler.advance(1_000);
    };
    try {
      // The first poll starts with the subscription, not on a timer.
      expect(await readUntil(/"type":"snapshot"/)).toBe(true);
      const faults = h.emulator.control.faults;
      faults.fail(3, { action: 'DescribeInstances', code: 'Unavailable', status: 503 });
      await advanceUntil(() => faults.list().length === 0);
      expect(faults.list()).toEqual([]);
      expect(await readUntil(/"status":"degraded"/)).toBe(true);
      await scheduler.advance(10_000); // past the backoff: the next poll succeeds
      expect(await readUntil(/"status":"recovered"/)).toBe(true);
      expect(text).not.toContain('serialized-error');
    } finally {
      // The read still pending when the stream is aborted rejects; that is the expected end.
      pending.catch(() => {});
      ac.abort();
    }
  });
});
