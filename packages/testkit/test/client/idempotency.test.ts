import type { AppRouter } from '@aws-trpc/api';
import { createClient, idempotencyLinks } from '@aws-trpc/client';
import { retryLink, type TRPCLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack } from './stack';

let stack: Stack;
let imageId: string;
beforeAll(async () => {
  stack = await startStack();
  imageId = await someImageId(stack);
});
afterAll(() => stack?.close());

/**
 * A fetch that lets the first request for `procedure` reach the gateway (which runs it), then loses
 * the answer, as a dropped connection would.
 */
function losingFirstResponse(procedure: string): { fetch: typeof fetch; lost: () => number } {
  let lost = 0;
  const lossy: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (lost === 0 && String(input).includes(procedure)) {
      lost++;
      await response.arrayBuffer();
      throw new TypeError('fetch failed: connection reset after the request was sent');
    }
    return response;
  };
  return { fetch: lossy, lost: () => lost };
}

/** The client with only the given links in front of its transport (its own retries off). */
function clientWith(links: TRPCLink<AppRouter>[], fetchImpl: typeof fetch) {
  return createClient({ url: stack.url, fetch: fetchImpl, links, retry: false });
}

async function instancesTagged(run: string): Promise<number> {
  return (await stack.ec2.instances.filter({ Filters: [{ Name: 'tag:run', Values: [run] }] }).all()).length;
}

const runInput = (run: string) => ({
  ImageId: imageId,
  MinCount: 2,
  MaxCount: 2,
  TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'run', Value: run }] }],
});

describe('idempotent retries', () => {
  it('createClient is idempotent by default: a RunInstances whose first response is lost launches one set', async () => {
    const network = losingFirstResponse('ec2.runInstances');
    // Only the delay is set (no real waiting in tests); the token and retry links are createClient's own.
    const client = createClient({ url: stack.url, fetch: network.fetch, retry: { retryDelayMs: () => 0 } });
    const before = stack.emu.control.requests.count({ action: 'RunInstances' });

    const output = await client.ec2.runInstances.mutate(runInput('default-client'));

    expect(network.lost()).toBe(1);
    expect(stack.emu.control.requests.count({ action: 'RunInstances' }) - before).toBe(2);
    expect(output.Instances).toHaveLength(2);
    expect(await instancesTagged('default-client')).toBe(2);
  });

  it('control: createClient with retry: false does not retry a lost answer', async () => {
    const network = losingFirstResponse('ec2.runInstances');
    const client = createClient({ url: stack.url, fetch: network.fetch, retry: false });
    await expect(client.ec2.runInstances.mutate(runInput('no-retry'))).rejects.toThrow(/fetch failed/);
    expect(await instancesTagged('no-retry')).toBe(2);
  });

  it('a RunInstances whose first response is lost, retried by the client, launches exactly one set', async () => {
    const network = losingFirstResponse('ec2.runInstances');
    const client = clientWith(idempotencyLinks({ retryDelayMs: () => 0 }), network.fetch);
    const before = stack.emu.control.requests.count({ action: 'RunInstances' });

    const output = await client.ec2.runInstances.mutate(runInput('retried'));

    expect(network.lost()).toBe(1);
    expect(stack.emu.control.requests.count({ action: 'RunInstances' }) - before).toBe(2);
    expect(output.Instances).toHaveLength(2);
    expect(await instancesTagged('retried')).toBe(2);
  });

  it('control: the same retry without a client-side token launches twice', async () => {
    const network = losingFirstResponse('ec2.runInstances');
    const client = clientWith([retryLink({ retry: ({ attempts }) => attempts < 3 })], network.fetch);
    await client.ec2.runInstances.mutate(runInput('naive'));
    expect(network.lost()).toBe(1);
    expect(await instancesTagged('naive')).toBe(4);
  });

  it("keeps the caller's own ClientToken", async () => {
    const client = clientWith(idempotencyLinks(), fetch);
    const first = await client.ec2.runInstances.mutate({
      ...runInput('own-token'),
      ClientToken: 'my-token-1',
    });
    const again = await client.ec2.runInstances.mutate({
      ...runInput('own-token'),
      ClientToken: 'my-token-1',
    });
    expect(again.ReservationId).toBe(first.ReservationId);
    expect(await instancesTagged('own-token')).toBe(2);
  });

  it('does not repeat a mutation without an idempotency token whose answer was lost', async () => {
    const [instance] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    const network = losingFirstResponse('ec2.rebootInstances');
    const client = clientWith(idempotencyLinks({ retryDelayMs: () => 0 }), network.fetch);
    const before = stack.emu.control.requests.count({ action: 'RebootInstances' });
    await expect(client.ec2.rebootInstances.mutate({ InstanceIds: [instance?.id ?? ''] })).rejects.toThrow(
      /fetch failed/,
    );
    expect(stack.emu.control.requests.count({ action: 'RebootInstances' }) - before).toBe(1);
  });

  it('repeats a query whose answer was lost', async () => {
    const network = losingFirstResponse('ec2.describeRegions');
    const client = clientWith(idempotencyLinks({ retryDelayMs: () => 0 }), network.fetch);
    const output = await client.ec2.describeRegions.query({});
    expect(network.lost()).toBe(1);
    expect(output.Regions?.length).toBeGreaterThan(0);
  });
});
