import { createClient } from '@aws-trpc/client';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

/** The emulator keeps state per region (from the SigV4 scope), so a key pair shows where it went. */
async function keyNames(client: Harness['client'], region?: string): Promise<string[]> {
  const out = await client.ec2.describeKeyPairs.query({}, region ? { context: { region } } : undefined);
  return (out.KeyPairs ?? []).map((k) => k.KeyName ?? '').sort();
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ gateway: { region: 'us-east-1' } });
});
afterAll(() => h.close());

describe('regions', () => {
  it('uses the gateway default region when neither the client nor the call names one', async () => {
    await h.client.ec2.createKeyPair.mutate({ KeyName: 'default-region' });
    const zones = await h.client.ec2.describeAvailabilityZones.query({});
    expect(zones.AvailabilityZones?.[0]?.RegionName).toBe('us-east-1');
    expect(await keyNames(h.client, 'us-east-1')).toContain('default-region');
  });

  it('uses the client region, and a per-call region over it', async () => {
    const eu = createClient({ url: h.url, region: 'eu-west-1' });
    await eu.ec2.createKeyPair.mutate({ KeyName: 'in-eu' });
    await eu.ec2.createKeyPair.mutate({ KeyName: 'in-ap' }, { context: { region: 'ap-southeast-2' } });
    expect(await keyNames(eu)).toEqual(['in-eu']);
    expect(await keyNames(eu, 'ap-southeast-2')).toEqual(['in-ap']);
    expect(await keyNames(h.client)).not.toContain('in-eu');
  });

  it('never mixes regions in one batch: concurrent calls each reach their own region', async () => {
    const regions = ['us-west-1', 'us-west-2', 'eu-central-1', 'us-west-1'];
    await Promise.all(
      regions.map((region, i) =>
        h.client.ec2.createKeyPair.mutate({ KeyName: `k${i}` }, { context: { region } }),
      ),
    );
    const [w1, w2, c1] = await Promise.all([
      keyNames(h.client, 'us-west-1'),
      keyNames(h.client, 'us-west-2'),
      keyNames(h.client, 'eu-central-1'),
    ]);
    expect(w1).toEqual(['k0', 'k3']);
    expect(w2).toEqual(['k1']);
    expect(c1).toEqual(['k2']);
  });

  it('refuses a region that is not a region name, before any AWS call', async () => {
    h.emu.control.requests.clear();
    const error = await h.client.ec2.describeKeyPairs
      .query({}, { context: { region: 'evil.example.com/x' } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).message).toContain('not an AWS region name');
    expect(h.emu.control.requests.count()).toBe(0);
  });
});
