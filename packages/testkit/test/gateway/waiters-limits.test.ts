import { hashToken } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseFrameRead } from '../../src/index';
import { type Harness, startSecuredGateway, testAuth, tokens } from './security-harness';

/**
 * F2: a waiter polls AWS inside its token's limits. Its delay has AWS's minimum, and every attempt
 * that reaches AWS takes one request from the token's rate limit, waiting (not failing) when it is
 * spent. The limiter and the waiter share the virtual clock, so nothing here sleeps.
 */
const waiterToken = 'atrpc_test-waiter';
let h: Harness;
let now = () => 0;
beforeAll(async () => {
  h = await startSecuredGateway({
    logLevel: 'silent',
    security: {
      now: () => now(),
      auth: {
        tokens: [
          ...testAuth.tokens,
          // One request per 16 s (an exact binary fraction, so refills land exactly), two at once.
          {
            name: 'waiter',
            sha256: hashToken(waiterToken),
            allow: ['ec2:read'],
            limits: { requestsPerSecond: 0.0625, burst: 2 },
          },
        ],
      },
    },
  });
  const clock = h.stack.clock!;
  now = () => clock.now();
});
afterAll(() => h?.close());

const url = (path: string, input: unknown) =>
  `${h.url}/${path}?input=${encodeURIComponent(JSON.stringify(transformer.serialize(input)))}`;
const isProgress = (f: SseFrameRead) => f.event === undefined && f.data.includes('"progress"');

/** How many times a waiter's call has waited for its token's rate limit. */
async function limiterWaits(): Promise<number> {
  const metric = await h.observability.metrics.registry.getSingleMetric('aws_trpc_throttled_total')?.get();
  return metric?.values.find((v) => v.labels.reason === 'waiter-rate')?.value ?? 0;
}

/** Lets the gateway's pending promise jobs and I/O run until `done()` holds; bounded. */
async function settle(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 10_000 && !(await done()); i++) await new Promise((r) => setImmediate(r));
}

describe('waiter delays', () => {
  it.each([
    [
      'ec2.waitUntilVolumeAvailable',
      { VolumeIds: ['vol-0123456789abcdef0'], minDelaySeconds: 2 },
      'minDelaySeconds',
      15,
    ],
    [
      'elb.waitUntilInstanceInService',
      { LoadBalancerName: 'web', minDelaySeconds: 1 },
      'minDelaySeconds',
      15,
    ],
    ['ec2.waitUntilKeyPairExists', { KeyNames: ['k'], maxDelaySeconds: 4 }, 'maxDelaySeconds', 5],
    // On the shared source, only the 1 s floor applies.
    [
      'ec2.waitUntilInstanceRunning',
      { InstanceIds: ['i-0123456789abcdef0'], minDelaySeconds: 0.5 },
      'minDelaySeconds',
      1,
    ],
  ] as const)(
    '%s refuses %j below the minimum: BAD_REQUEST naming the field and the minimum',
    async (path, input, field, minimum) => {
      h.emulator.control.requests.clear();
      const sse = openSse(url(path, input), { authorization: `Bearer ${tokens.admin}` });
      try {
        const frames = await sse.until((f) => f.event === 'serialized-error');
        const error = frames.find((f) => f.event === 'serialized-error')!.data;
        expect(error).toContain('"BAD_REQUEST"');
        expect(error).toContain(`${field} must be at least ${minimum} for waiter`);
      } finally {
        sse.close();
      }
      expect(h.emulator.control.requests.count()).toBe(0);
    },
  );
});

describe("waiter attempts and the token's rate limit", () => {
  it('counts every attempt that reaches AWS, and waits for the limit instead of failing', async () => {
    const clock = h.stack.clock!;
    h.emulator.control.requests.clear();
    const key = { action: 'DescribeKeyPairs' };
    // KeyPairExists retries while the key is missing: each attempt is a DescribeKeyPairs to AWS.
    const sse = openSse(
      url('ec2.waitUntilKeyPairExists', {
        KeyNames: ['arrives-later'],
        minDelaySeconds: 5,
        maxDelaySeconds: 5,
      }),
      { authorization: `Bearer ${waiterToken}` },
    );
    try {
      // Opening the subscription took one request, the first attempt the other: the bucket is empty.
      await sse.until(isProgress, 1);
      expect(h.emulator.control.requests.count(key)).toBe(1);
      const own = await fetch(`${h.url}/ec2.describeVpcs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${waiterToken}` },
        body: '{"j":{}}',
      });
      expect(own.status).toBe(429);

      // The delay ends; the second attempt finds the limit spent (0.3125 of a request back after 5 s)
      // and waits the 11 s the limiter names, without calling AWS and without failing.
      await clock.advance(5_000);
      await settle(async () => (await limiterWaits()) >= 1);
      expect(await limiterWaits()).toBe(1);
      await clock.advance(10_000);
      expect(h.emulator.control.requests.count(key)).toBe(1);
      expect(sse.frames.some((f) => f.event === 'serialized-error' || f.data.includes('"result"'))).toBe(
        false,
      );

      // The limit refills: the attempt goes out and progress continues.
      await clock.advance(1_000);
      await sse.until(isProgress, 2);
      expect(h.emulator.control.requests.count(key)).toBe(2);
      expect(sse.frames.some((f) => f.data.includes('"result"'))).toBe(false);
    } finally {
      sse.close();
    }
  });
});
