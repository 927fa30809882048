import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { canonicalJson, inputDigest } from '../src/guard/input-digest';
import { releaseOnEnd } from '../src/guard/release-on-end';
import { retryAfterResponseMeta } from '../src/http/retry-after';
import { BindSafetyError, checkBindSafety, isLoopbackHost } from '../src/security/bind-safety';
import { ANONYMOUS, type AuthorizedPrincipal } from '../src/security/principal';
import { createRateLimiter, retryAfterSeconds } from '../src/security/rate-limiter';
import { redact, secretMembers } from '../src/security/redact';
import { fallbackReporter } from '../src/security/shared-fallback';
import { createSubscriptionLimiter } from '../src/security/subscription-limiter';

const principal = (name: string, limits: AuthorizedPrincipal['limits'] = {}): AuthorizedPrincipal => ({
  ...ANONYMOUS,
  name,
  limits,
});

describe('rate limiter (token bucket per token)', () => {
  it('allows the burst, then TOO_MANY_REQUESTS with a retry-after, then refills with time', async () => {
    let now = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 2, burst: 3 }, () => now);
    const ci = principal('ci');
    for (let i = 0; i < 3; i++) await limiter.take(ci);
    const error = await limiter.take(ci).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    expect((error as TRPCError).message).toContain("token 'ci'");
    expect(retryAfterSeconds(error)).toBe(1);
    // Another token has its own bucket.
    await limiter.take(principal('other'));
    now += 500; // 2/s: one request back
    await limiter.take(ci);
    await expect(limiter.take(ci)).rejects.toThrowError(/rate limit/);
  });

  it("uses a token's own limits over the defaults", async () => {
    let now = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 1000, burst: 1000 }, () => now);
    const slow = principal('slow', { requestsPerSecond: 0.1, burst: 1 });
    await limiter.take(slow);
    const error = await limiter.take(slow).catch((e: unknown) => e);
    expect(retryAfterSeconds(error)).toBe(10);
    now += 10_000;
    await expect(limiter.take(slow)).resolves.toBeUndefined();
  });
});

describe('Retry-After', () => {
  it('gives the HTTP layer a Retry-After header for the refused calls of a response', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 50, burst: 100 }, () => 0);
    let refused: unknown;
    try {
      for (let i = 0; i < 5; i++)
        await limiter.take({
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

describe('subscription limiter', () => {
  it('caps open subscriptions per token; release is idempotent', async () => {
    const limiter = createSubscriptionLimiter(2);
    const a = principal('a');
    const r1 = await limiter.acquire(a);
    const r2 = await limiter.acquire(a);
    await expect(limiter.acquire(a)).rejects.toThrowError(/already has 2 open subscriptions/);
    expect(await limiter.acquire(principal('b'))).toBeTypeOf('function');
    r1();
    r1();
    expect(limiter.active('a')).toBe(1);
    await limiter.acquire(a);
    await expect(limiter.acquire(a)).rejects.toThrow();
    r2();
    expect(limiter.active('a')).toBe(1);
    await expect(limiter.acquire(principal('c', { maxSubscriptions: 0 }))).rejects.toThrow();
  });

  it('takes the slot when acquire is called: two concurrent acquires never share the last one', async () => {
    const limiter = createSubscriptionLimiter(1);
    const results = await Promise.allSettled([
      limiter.acquire(principal('a')),
      limiter.acquire(principal('a')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('releaseOnEnd releases once when the stream finishes, fails, or is returned early', async () => {
    async function* three() {
      yield 1;
      yield 2;
      yield 3;
    }
    async function* failing() {
      yield 1;
      throw new Error('boom');
    }
    let released = 0;
    const seen: unknown[] = [];
    for await (const v of releaseOnEnd(three(), () => released++, undefined) as AsyncIterable<number>)
      seen.push(v);
    expect(seen).toEqual([1, 2, 3]);
    expect(released).toBe(1);
    for await (const v of releaseOnEnd(three(), () => released++, undefined) as AsyncIterable<number>) {
      if (v === 1) break;
    }
    expect(released).toBe(2);
    await expect(async () => {
      for await (const _ of releaseOnEnd(failing(), () => released++, undefined) as AsyncIterable<number>);
    }).rejects.toThrow('boom');
    expect(released).toBe(3);
    const ac = new AbortController();
    releaseOnEnd(three(), () => released++, ac.signal);
    ac.abort();
    expect(released).toBe(4);
  });
});

describe('bind safety', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(h)).toBe(true);
    }
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.1', 'example.com'])
      expect(isLoopbackHost(h)).toBe(false);
  });

  it('refuses non-loopback without an auth file, unless --insecure-no-auth, which warns loudly', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(() =>
      checkBindSafety({ host: '0.0.0.0', authFile: undefined, insecureNoAuth: false, warn }),
    ).toThrowError(BindSafetyError);
    checkBindSafety({ host: '0.0.0.0', authFile: '/etc/aws-trpc/auth.yaml', insecureNoAuth: false, warn });
    checkBindSafety({ host: '127.0.0.1', authFile: undefined, insecureNoAuth: false, warn });
    expect(warnings).toEqual([]);
    checkBindSafety({ host: '0.0.0.0', authFile: undefined, insecureNoAuth: true, warn });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^INSECURE: listening on 0\.0\.0\.0/);
  });
});

describe('input digest and redaction', () => {
  it('digests canonical JSON: key order does not matter, values do', () => {
    const a = {
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance' }],
      When: new Date(0),
    };
    const b = {
      When: new Date(0),
      TagSpecifications: [{ ResourceType: 'instance' }],
      MaxCount: 1,
      MinCount: 1,
    };
    expect(inputDigest(a)).toBe(inputDigest(b));
    expect(inputDigest(a)).not.toBe(inputDigest({ ...a, MaxCount: 2 }));
    expect(inputDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(canonicalJson({ b: new Uint8Array([1, 2]), a: undefined })).toBe('{"b":"AQI="}');
  });

  it('reads secret members from the catalog (SDK sensitive trait and named secrets), and redacts them at any depth', () => {
    expect(secretMembers('ec2', 'RunInstances').has('UserData')).toBe(true);
    expect(secretMembers('ec2', 'ImportKeyPair').has('PublicKeyMaterial')).toBe(true);
    expect(secretMembers('ec2', 'DescribeInstances').size).toBe(0);
    const input = {
      MinCount: 1,
      UserData: 'c2VjcmV0',
      LaunchTemplate: [{ UserData: 'c2VjcmV0' }],
      Key: new Uint8Array([1, 2, 3]),
    };
    const out = JSON.stringify(redact(input, secretMembers('ec2', 'RunInstances')));
    expect(out).not.toContain('c2VjcmV0');
    expect(out).toContain('"MinCount":1');
    expect(out).toContain('[REDACTED 8 chars]');
    expect(out).toContain('[REDACTED 3 bytes]');
  });
});

describe('limits from the environment', () => {
  it('reads the list length, the in-flight budget and the idle timeout; refuses bad numbers', async () => {
    const { securityOptionsFromEnv } = await import('../src/security/security');
    expect(
      securityOptionsFromEnv({
        AWS_TRPC_MAX_LIST_LENGTH: '500',
        AWS_TRPC_MAX_IN_FLIGHT_BYTES: '1048576',
        AWS_TRPC_IDLE_TIMEOUT_MS: '2000',
      }),
    ).toEqual({
      maxListLength: 500,
      http: { maxInFlightBytesPerToken: 1_048_576, idleConnectionTimeoutMs: 2_000 },
    });
    expect(securityOptionsFromEnv({})).toEqual({});
    expect(() => securityOptionsFromEnv({ AWS_TRPC_MAX_LIST_LENGTH: 'many' })).toThrowError(
      "AWS_TRPC_MAX_LIST_LENGTH: 'many' is not an integer",
    );
  });
});

describe('fallback to local limits (Redis failing)', () => {
  it('counts every fallback, warns when it starts and then at most every 30 s, and says when Redis is back', () => {
    let now = 0;
    let counted = 0;
    const lines: string[] = [];
    const logger = { warn: (_fields: object, message: string) => lines.push(message) } as never;
    const report = fallbackReporter(
      'rate',
      logger,
      { sharedStoreFallback: () => counted++ },
      30_000,
      () => now,
    );
    report.ok();
    expect(lines).toEqual([]);
    for (let i = 0; i < 100; i++) report.failed(new Error('ECONNREFUSED'));
    now += 29_999;
    report.failed(new Error('ECONNREFUSED'));
    expect(lines).toHaveLength(1);
    now += 1;
    report.failed(new Error('ECONNREFUSED'));
    expect(counted).toBe(102);
    expect(lines).toEqual([
      'Redis unreachable: rate limits are counted by this replica alone until it answers again',
      'Redis unreachable: rate limits are counted by this replica alone until it answers again',
    ]);
    report.ok();
    report.ok();
    expect(lines.slice(2)).toEqual(['Redis answers again: rate limits are shared across replicas again']);
    report.failed(new Error('ECONNREFUSED'));
    expect(lines).toHaveLength(4);
  });
});
