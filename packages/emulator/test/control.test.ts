import { DescribeRegionsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/emulator';
import { ec2Protocol, elbProtocol } from '../src/protocol/service-protocol';
import { clientsFor } from './helpers/clients';
import { testHandlers } from './helpers/test-handlers';

/** The control API over HTTP, as the CLI user and other processes reach it. */
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual', delays: { pending: 1_000 } }, testHandlers());
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('GET /_emulator/coverage', () => {
  it('lists the implemented actions per service against the SDK operation counts', async () => {
    const { status, json } = await call('GET', '/coverage');
    expect(status).toBe(200);
    expect(json.ec2.implemented).toEqual([
      'DescribeInstances',
      'DescribeRegions',
      'RebootInstances',
      'RunInstances',
      'TerminateInstances',
    ]);
    expect(json.ec2.sdkOperationCount).toBe(ec2Protocol.operationNames().length);
    expect(json.elb).toEqual({
      implemented: ['CreateLoadBalancer', 'DescribeLoadBalancers'],
      implementedCount: 2,
      sdkOperationCount: elbProtocol.operationNames().length,
      unknownHandlers: [],
    });
  });

  it('flags handler keys that are not SDK operations', async () => {
    const handlers = testHandlers();
    handlers.ec2.DescribeInstance = () => ({});
    const other = await startEmulator({}, handlers);
    try {
      expect(other.control.coverage().ec2.unknownHandlers).toEqual(['DescribeInstance']);
    } finally {
      await other.close();
    }
  });
});

describe('requests, clock, delays, reset', () => {
  it('counts AWS requests per service and action, and clears them', async () => {
    await clientsFor(emu.url).ec2.send(new DescribeRegionsCommand({}));
    expect((await call('GET', '/requests')).json).toEqual({
      total: 1,
      ec2: { DescribeRegions: 1 },
      elb: {},
      sqs: {},
      events: {},
    });
    expect((await call('DELETE', '/requests')).json.total).toBe(0);
  });

  it('advances the virtual clock', async () => {
    const before = emu.clock.now();
    const { status, json } = await call('POST', '/clock/advance', { ms: 5_000 });
    expect(status).toBe(200);
    expect(json).toEqual({
      kind: 'virtual',
      now: before + 5_000,
      iso: new Date(before + 5_000).toISOString(),
    });
    expect(emu.clock.now()).toBe(before + 5_000);
  });

  it('reads and changes delays; reset restores the start-up values and forgets state', async () => {
    expect((await call('GET', '/delays')).json.pending).toBe(1_000);
    expect((await call('POST', '/delays', { pending: 10, stopping: 20 })).json).toMatchObject({
      pending: 10,
      stopping: 20,
    });
    expect(emu.control.delays.get().pending).toBe(10);
    const { ec2 } = clientsFor(emu.url);
    await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 }));
    expect((await call('POST', '/reset')).status).toBe(200);
    expect(emu.control.delays.get().pending).toBe(1_000);
    expect(emu.control.requests.count()).toBe(0);
    const run = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 }));
    // The region's state was forgotten, so numbering starts again.
    expect(run.Instances?.[0]?.InstanceId).toBe('i-00000000000000001');
  });
});

describe('faults over HTTP', () => {
  it('throttles through POST /_emulator/faults and clears with DELETE', async () => {
    const added = await call('POST', '/faults', { kind: 'throttle', count: 2, service: 'ec2' });
    expect(added.json).toEqual([
      { kind: 'error', name: 'throttle', remaining: 2, target: { service: 'ec2' } },
    ]);
    const out = await clientsFor(emu.url).ec2.send(new DescribeRegionsCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    expect((await call('GET', '/requests')).json.ec2.DescribeRegions).toBe(3);
    await call('POST', '/faults', {
      kind: 'fail',
      code: 'InternalError',
      status: 500,
      action: 'RunInstances',
    });
    expect((await call('DELETE', '/faults')).json).toEqual([]);
    const run = await clientsFor(emu.url, { maxAttempts: 1 }).ec2.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1 }),
    );
    expect(run.Instances).toHaveLength(1);
  });
});

describe('bad control input answers 400 naming the problem', () => {
  it.each([
    ['POST', '/faults', { kind: 'explode' }, '"kind" must be one of'],
    ['POST', '/faults', { kind: 'fail', status: 500 }, '"fail" needs "code"'],
    ['POST', '/faults', { kind: 'fail', code: 'X', status: 200 }, 'HTTP error status'],
    ['POST', '/faults', { kind: 'throttle', count: -1 }, 'non-negative integer'],
    ['POST', '/faults', { kind: 'throttle', service: 'ec3' }, '"service" must be'],
    ['POST', '/faults', '{not json', 'not JSON'],
    ['POST', '/delays', { pending: -5 }, 'delay "pending"'],
    ['POST', '/delays', { warmup: 5 }, 'unknown delay "warmup"'],
    ['POST', '/clock/advance', { ms: 'soon' }, '"ms"'],
  ])('%s %s %j', async (method, path, body, message) => {
    const { status, json } = await call(method, path, body);
    expect(status).toBe(400);
    expect(json.error).toContain(message);
  });

  it('answers 404 with the route list for an unknown route', async () => {
    const { status, json } = await call('GET', '/nothing');
    expect(status).toBe(404);
    expect(json.routes).toContain('GET /_emulator/coverage');
  });

  it('refuses to advance a real clock', async () => {
    const real = await startEmulator({}, testHandlers());
    try {
      const res = await fetch(`${real.url}/_emulator/clock/advance`, { method: 'POST', body: '{"ms":1}' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('clock is real');
    } finally {
      await real.close();
    }
  });
});
