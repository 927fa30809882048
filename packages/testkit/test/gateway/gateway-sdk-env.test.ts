import { createGateway } from '@aws-trpc/api';
import { createClient } from '@aws-trpc/client';
import { startEmulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

  it('AWS_RETRY_MODE picks the SDK retry strategy of the gateway clients', async () => {
    const modeOf = async () => {
      const gateway = createGateway({ region: 'eu-west-1' });
      try {
        const strategy = (await gateway.deps.aws.ec2('eu-west-1').config.retryStrategy()) as {
          mode?: string;
        };
        return strategy.mode;
      } finally {
        await gateway.close();
      }
    };
    delete process.env.AWS_RETRY_MODE;
    expect(await modeOf()).toBe('standard');
    process.env.AWS_RETRY_MODE = 'adaptive';
    expect(await modeOf()).toBe('adaptive');
    delete process.env.AWS_RETRY_MODE;
  });

  it('no credentials anywhere: SERVICE_UNAVAILABLE naming the cause, and nothing reaches AWS', async () => {
    const env = { ...process.env };
    for (const name of Object.keys(process.env))
      if (
        /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|CONTAINER_|WEB_IDENTITY|ROLE_)/.test(
          name,
        )
      )
        delete process.env[name];
    // No IMDS (it is not on loopback) and no shared files.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-trpc/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-trpc/credentials';
    emu.control.requests.clear();
    try {
      const error = await withGateway((client) =>
        client.ec2.describeKeyPairs.query({}).then(
          () => undefined,
          (e: { data?: { code?: string }; message?: string }) => e,
        ),
      );
      expect(error?.data?.code).toBe('SERVICE_UNAVAILABLE');
      expect(error?.message).toContain('the gateway has no usable AWS credentials');
      expect(emu.control.requests.count({})).toBe(0);
    } finally {
      process.env = env;
    }
  });
});
