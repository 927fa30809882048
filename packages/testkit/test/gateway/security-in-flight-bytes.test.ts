import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSecuredGateway, tokens } from './security-harness';

/**
 * F3, the in-flight half: bodies that fit the size limit count against their token's in-flight budget
 * (the 200,000-id flood itself: security-input-flood.test.ts).
 */
let h: Harness;
beforeAll(async () => {
  h = await startSecuredGateway({
    logLevel: 'silent',
    // A small in-flight budget: two of the ~110 KB bodies below fit at once.
    security: { http: { maxInFlightBytesPerToken: 250_000 } },
  });
});
afterAll(() => h?.close());

const fakeId = (i: number) => `i-${i.toString(16).padStart(17, '0')}`;

function postRaw(
  path: string,
  payload: Buffer,
  token: string = tokens.reader,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${h.url}/${path}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.byteLength,
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    // The gateway may answer 429 and close before the whole body is written.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve({ status: -1, text: e.code }) : reject(e),
    );
    req.end(payload);
  });
}

describe('in-flight request bytes per token (F3)', () => {
  it("bounds one token's in-flight request bytes (429 before the body is read) without starving another token", async () => {
    // ~110 KB of valid input: five filters of 1,000 values each.
    const values = Array.from({ length: 1_000 }, (_, i) => fakeId(i));
    const filters = ['instance-id', 'tag:a', 'tag:b', 'tag:c', 'tag:d'].map((Name) => ({
      Name,
      Values: values,
    }));
    const payload = Buffer.from(JSON.stringify({ j: { Filters: filters } }));
    expect(payload.byteLength).toBeGreaterThan(90_000);
    // The upstream holds each admitted call, so it stays in flight while the others arrive.
    h.emulator.control.faults.latency(300, { action: 'DescribeInstances' });
    const flood = Promise.all(Array.from({ length: 10 }, () => postRaw('ec2.describeInstances', payload)));
    const other = await postRaw('ec2.describeVpcs', Buffer.from('{"j":{}}'), tokens.admin);
    const answers = await flood;
    expect(other.status).toBe(200);
    const refused = answers.filter((a) => a.status === 429);
    const served = answers.filter((a) => a.status === 200);
    expect(refused.length).toBeGreaterThanOrEqual(7);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.length + refused.length + answers.filter((a) => a.status === -1).length).toBe(10);
    expect(refused[0]!.text).toContain("token 'reader' already has requests in flight");
    expect(refused[0]!.text).toContain('budget of 250000 in-flight request bytes');
    expect(h.security.inFlight.held('reader')).toBe(0);
  });
});
