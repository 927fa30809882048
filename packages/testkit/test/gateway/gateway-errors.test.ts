import { createServer } from 'node:net';
import type { AppRouter } from '@aws-trpc/api';
import { createGateway } from '@aws-trpc/api';
import { createClient } from '@aws-trpc/client';
import { emulatorCredentials } from '@aws-trpc/emulator';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

async function failure(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError))
    throw new Error(`expected a TRPCClientError, got ${String(error)}`);
  return error as TRPCClientError<AppRouter>;
}

/** A port on 127.0.0.1 that nothing listens on: bound, read, and closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let h: Harness;

async function anyImageId(): Promise<string> {
  const { Images } = await h.client.ec2.describeImages.query({});
  const id = Images?.[0]?.ImageId;
  if (!id) throw new Error('the emulator offers no image');
  return id;
}
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('AWS errors become TRPCErrors with data.aws', () => {
  it('maps the NotFound family to NOT_FOUND with the wire code and request id', async () => {
    const error = await failure(
      h.client.ec2.terminateInstances.mutate({ InstanceIds: ['i-0123456789abcdef0'] }),
    );
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(error.data?.aws).toMatchObject({
      code: 'InvalidInstanceID.NotFound',
      httpStatusCode: 400,
      retryable: false,
      classification: 'eventual-consistency',
    });
    expect(error.data?.aws?.requestId).toMatch(/\S/);
    expect(error.message).toContain('i-0123456789abcdef0');
  });

  it('keeps the Classic ELB wire code (LoadBalancerNotFound), not the SDK class name', async () => {
    const error = await failure(h.client.elb.describeLoadBalancers.query({ LoadBalancerNames: ['nope'] }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(error.data?.aws?.code).toBe('LoadBalancerNotFound');
    expect(error.data?.aws?.httpStatusCode).toBe(400);
  });

  it('maps a client fault to BAD_REQUEST and a state conflict to CONFLICT', async () => {
    const ImageId = await anyImageId();
    const bad = await failure(h.client.ec2.runInstances.mutate({ ImageId, MinCount: 3, MaxCount: 1 }));
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.aws?.code).toMatch(/^Invalid|^Missing|^Validation/);
    expect(bad.data?.aws?.classification).toBe('permanent');

    const key = { KeyName: 'dup-key' };
    await h.client.ec2.createKeyPair.mutate(key);
    const duplicate = await failure(h.client.ec2.createKeyPair.mutate(key));
    expect(duplicate.data?.code).toBe('CONFLICT');
    expect(duplicate.data?.aws?.code).toBe('InvalidKeyPair.Duplicate');
  });

  it('maps throttling to TOO_MANY_REQUESTS, retryable, for both services', async () => {
    h.emu.control.faults.throttle(1, { service: 'ec2' });
    const ec2 = await failure(h.client.ec2.describeInstances.query({}));
    expect(ec2.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(ec2.data?.aws).toMatchObject({
      code: 'RequestLimitExceeded',
      retryable: true,
      classification: 'throttling',
    });

    h.emu.control.faults.throttle(1, { service: 'elb' });
    const elb = await failure(h.client.elb.describeLoadBalancers.query({}));
    expect(elb.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(elb.data?.aws?.code).toBe('Throttling');
  });

  it('maps server faults to BAD_GATEWAY / SERVICE_UNAVAILABLE', async () => {
    h.emu.control.faults.fail(1, { service: 'ec2', code: 'InternalError', status: 500 });
    const internal = await failure(h.client.ec2.describeInstances.query({}));
    expect(internal.data?.code).toBe('BAD_GATEWAY');
    expect(internal.data?.aws).toMatchObject({ code: 'InternalError', httpStatusCode: 500, retryable: true });

    h.emu.control.faults.fail(1, { service: 'ec2', code: 'Unavailable', status: 503 });
    const unavailable = await failure(h.client.ec2.describeInstances.query({}));
    expect(unavailable.data?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it("maps the gateway's own AuthFailure to BAD_GATEWAY (not the caller's UNAUTHORIZED), UnauthorizedOperation to FORBIDDEN", async () => {
    h.emu.control.faults.fail(1, { service: 'ec2', code: 'AuthFailure', status: 401 });
    const refused = await failure(h.client.ec2.describeInstances.query({}));
    expect(refused.data?.code).toBe('BAD_GATEWAY');
    expect(refused.data?.httpStatus).toBe(502);
    expect(refused.data?.aws?.code).toBe('AuthFailure');
    expect(refused.message).toMatch(
      /^AWS refused the gateway's own credentials \(AuthFailure\); the caller's token is fine/,
    );
    h.emu.control.faults.fail(1, { service: 'elb', code: 'InvalidClientTokenId', status: 403 });
    const elb = await failure(h.client.elb.describeLoadBalancers.query({}));
    expect(elb.data?.code).toBe('BAD_GATEWAY');
    expect(elb.data?.aws?.code).toBe('InvalidClientTokenId');
    h.emu.control.faults.fail(1, { service: 'ec2', code: 'UnauthorizedOperation', status: 403 });
    expect((await failure(h.client.ec2.describeInstances.query({}))).data?.code).toBe('FORBIDDEN');
  });

  it('gives a passed dry run its own outcome: PRECONDITION_FAILED with DryRunOperation', async () => {
    const ImageId = await anyImageId();
    const error = await failure(
      h.client.ec2.runInstances.mutate({ ImageId, MinCount: 1, MaxCount: 1, DryRun: true }),
    );
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.data?.aws?.code).toBe('DryRunOperation');
    expect(error.data?.aws?.httpStatusCode).toBe(412);
  });

  it('uses the SDK retry policy: a throttled call succeeds when attempts remain', async () => {
    const emu = h.emu;
    const gateway = createGateway({ endpoint: emu.url, credentials: emulatorCredentials, maxAttempts: 3 });
    const { url } = await gateway.listen();
    try {
      emu.control.requests.clear();
      emu.control.faults.throttle(1, { service: 'ec2', action: 'DescribeKeyPairs' });
      const out = await createClient({ url }).ec2.describeKeyPairs.query({});
      expect(out.KeyPairs).toBeDefined();
      expect(emu.control.requests.count({ action: 'DescribeKeyPairs' })).toBe(2);
    } finally {
      await gateway.close();
    }
  });
});

describe('an unreachable endpoint', () => {
  it('answers SERVICE_UNAVAILABLE naming the endpoint, with no stack', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const gateway = createGateway({ endpoint, credentials: emulatorCredentials, maxAttempts: 1 });
    const { url } = await gateway.listen();
    try {
      const error = await failure(createClient({ url }).ec2.describeInstances.query({}));
      expect(error.data?.code).toBe('SERVICE_UNAVAILABLE');
      expect(error.data?.httpStatus).toBe(503);
      expect(error.message).toContain(endpoint);
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.data?.aws).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
      expect(error.data).not.toHaveProperty('stack');
    } finally {
      await gateway.close();
    }
  });

  it('answers SERVICE_UNAVAILABLE when the endpoint does not answer within the request timeout', async () => {
    const gateway = createGateway({
      endpoint: h.emu.url,
      credentials: emulatorCredentials,
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    const { url } = await gateway.listen();
    h.emu.control.faults.latency(2_000, { action: 'DescribeVolumes' });
    try {
      const error = await failure(createClient({ url }).ec2.describeVolumes.query({}));
      expect(error.data?.code).toBe('SERVICE_UNAVAILABLE');
      expect(error.message).toContain('did not answer in time');
      expect(error.message).toContain(h.emu.url);
      expect(error.data?.aws).toMatchObject({ code: 'TimeoutError', retryable: true });
    } finally {
      h.emu.control.faults.clear();
      await gateway.close();
    }
  });
});
