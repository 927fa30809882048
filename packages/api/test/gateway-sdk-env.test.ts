import { startEmulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/src/create-client';
import { createGateway } from '../src/gateway';

/**
 * The gateway passes no endpoint, credentials or retry settings here: the SDK reads the standard
 * variables itself. (Vitest runs each test file in its own worker, so this process.env is ours.)
 */
let emu: Awaited<ReturnType<typeof startEmulator>>;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  process.env.AWS_ENDPOINT_URL_EC2 = emu.url;
  process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING = emu.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret-from-env';
  process.env.AWS_PROFILE = '';
});
afterAll(async () => {
  process.env = saved;
  await emu.close();
});

async function withGateway<T>(run: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const gateway = createGateway({ region: 'eu-west-1' });
  const { url } = await gateway.listen();
  try {
    return await run(createClient({ url }));
  } finally {
    await gateway.close();
  }
}

describe('standard SDK environment variables', () => {
  it('AWS_ENDPOINT_URL_EC2 / _ELASTIC_LOAD_BALANCING and env credentials reach the emulator', async () => {
    emu.control.requests.clear();
    await withGateway(async (client) => {
      const zones = await client.ec2.describeAvailabilityZones.query({});
      expect(zones.AvailabilityZones?.[0]?.RegionName).toBe('eu-west-1');
      const lbs = await client.elb.describeLoadBalancers.query({});
      expect(lbs.LoadBalancerDescriptions).toEqual([]);
    });
    expect(emu.control.requests.count({ service: 'ec2' })).toBe(1);
    expect(emu.control.requests.count({ service: 'elb' })).toBe(1);
  });

  it('AWS_MAX_ATTEMPTS decides how often the SDK retries a throttled call', async () => {
    process.env.AWS_MAX_ATTEMPTS = '1';
    emu.control.requests.clear();
    emu.control.faults.throttle(1, { action: 'DescribeKeyPairs' });
    const once = await withGateway((client) =>
      client.ec2.describeKeyPairs.query({}).then(
        () => 'ok',
        (e: { data?: { code?: string } }) => e.data?.code,
      ),
    );
    expect(once).toBe('TOO_MANY_REQUESTS');
    expect(emu.control.requests.count({ action: 'DescribeKeyPairs' })).toBe(1);

    process.env.AWS_MAX_ATTEMPTS = '2';
    emu.control.requests.clear();
    emu.control.faults.throttle(1, { action: 'DescribeKeyPairs' });
    const twice = await withGateway((client) => client.ec2.describeKeyPairs.query({}).then(() => 'ok'));
    expect(twice).toBe('ok');
    expect(emu.control.requests.count({ action: 'DescribeKeyPairs' })).toBe(2);
  });
});
