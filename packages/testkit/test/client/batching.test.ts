import { createClient } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack';

/** Calls made in the same tick share one HTTP request by default; `batch: false` sends each at once. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

function countingFetch() {
  const seen = { requests: 0 };
  const fetchImpl: typeof fetch = (input, init) => {
    seen.requests++;
    return fetch(input, init);
  };
  return { seen, fetchImpl };
}

describe('createClient batching', () => {
  it('merges concurrent calls into one request by default', async () => {
    const { seen, fetchImpl } = countingFetch();
    const client = createClient({ url: stack.url, fetch: fetchImpl });
    const [regions, zones] = await Promise.all([
      client.ec2.describeRegions.query({}),
      client.ec2.describeAvailabilityZones.query({}),
    ]);
    expect(regions.Regions?.length).toBeGreaterThan(0);
    expect(zones.AvailabilityZones?.length).toBeGreaterThan(0);
    expect(seen.requests).toBe(1);
  });

  it('sends one request per call with batch: false, with the same answers', async () => {
    const { seen, fetchImpl } = countingFetch();
    const client = createClient({ url: stack.url, fetch: fetchImpl, batch: false });
    const [regions, zones] = await Promise.all([
      client.ec2.describeRegions.query({}),
      client.ec2.describeAvailabilityZones.query({}),
    ]);
    expect(regions.Regions?.map((r) => r.RegionName)).toContain('us-east-1');
    expect(zones.AvailabilityZones?.map((z) => z.ZoneName)).toContain('us-east-1a');
    expect(seen.requests).toBe(2);
  });
});
