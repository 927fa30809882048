import { Agent, request } from 'node:http';
import {
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeVpcsCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/emulator';
import { clientsFor } from './helpers/clients';
import { testHandlers } from './helpers/test-handlers';

/** The server with the real SDK clients over loopback, and handler maps of the test's own. */
let emu: Emulator;
const logged: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual', log: (message) => logged.push(message) }, testHandlers());
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.reset();
  logged.length = 0;
});

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}

describe('routing both services on one port', () => {
  it('serves EC2 and ELB from the same URL, told apart by Version', async () => {
    const { ec2, elb } = clientsFor(emu.url);
    const regions = await ec2.send(new DescribeRegionsCommand({}));
    expect(regions.Regions).toEqual([{ RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com' }]);
    const lbs = await elb.send(new DescribeLoadBalancersCommand({}));
    expect(lbs.LoadBalancerDescriptions?.[0]?.LoadBalancerName).toBe('web');
    expect(emu.control.requests.snapshot()).toEqual({
      total: 2,
      ec2: { DescribeRegions: 1 },
      elb: { DescribeLoadBalancers: 1 },
      sqs: {},
      events: {},
    });
  });

  it('takes the region from the signing scope and keeps state per region', async () => {
    const east = clientsFor(emu.url, { region: 'us-east-1' }).ec2;
    const west = clientsFor(emu.url, { region: 'eu-west-1' }).ec2;
    await east.send(new RunInstancesCommand({ MinCount: 2, MaxCount: 2, ImageId: 'ami-1' }));
    const inEast = await east.send(new DescribeInstancesCommand({}));
    const inWest = await west.send(new DescribeInstancesCommand({}));
    expect(inEast.Reservations?.[0]?.Instances).toHaveLength(2);
    expect(inWest.Reservations?.[0]?.Instances ?? []).toHaveLength(0);
    expect((await west.send(new DescribeRegionsCommand({}))).Regions?.[0]?.RegionName).toBe('eu-west-1');
  });

  it('gives handlers the virtual clock', async () => {
    const { ec2 } = clientsFor(emu.url);
    const before = emu.clock.now();
    emu.control.clock.advance(90_000);
    const run = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 }));
    expect(run.Instances?.[0]?.LaunchTime).toEqual(new Date(before + 90_000));
  });

  it('keeps two emulators in one process apart', async () => {
    const other = await startEmulator({}, testHandlers());
    try {
      await clientsFor(other.url).ec2.send(new RunInstancesCommand({ MinCount: 3, MaxCount: 3 }));
      const here = await clientsFor(emu.url).ec2.send(new DescribeInstancesCommand({}));
      expect(here.Reservations?.[0]?.Instances ?? []).toHaveLength(0);
      expect(other.control.requests.count({ action: 'RunInstances' })).toBe(1);
      expect(emu.control.requests.count({ action: 'RunInstances' })).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('connections', () => {
  /** One form POST over `agent`: the status, the Keep-Alive header and whether the socket was reused. */
  function post(agent: Agent) {
    return new Promise<{ status?: number; keepAlive?: string | string[]; reused: boolean }>(
      (resolve, reject) => {
        const req = request(
          `${emu.url}/`,
          { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode,
                keepAlive: res.headers['keep-alive'],
                reused: req.reusedSocket,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end('Action=DescribeRegions&Version=2016-11-15');
      },
    );
  }

  it('keeps connections alive for a minute, so SDK agents reuse their sockets', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await post(agent);
      const second = await post(agent);
      expect(first).toEqual({ status: 200, keepAlive: 'timeout=60', reused: false });
      expect(second).toEqual({ status: 200, keepAlive: 'timeout=60', reused: true });
    } finally {
      agent.destroy();
    }
  });
});

describe('error envelopes', () => {
  it('surfaces an EC2 error with its code and status, without retrying a 4xx', async () => {
    const { ec2 } = clientsFor(emu.url);
    const e = await rejection(
      ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })),
    );
    expect(e.name).toBe('InvalidInstanceID.NotFound');
    expect(e.message).toBe("The instance ID 'i-0000000000000dead' does not exist");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$fault).toBe('client');
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.control.requests.count({ action: 'TerminateInstances' })).toBe(1);
  });

  it('surfaces an ELB error with its code and status', async () => {
    const { elb } = clientsFor(emu.url);
    const e = await rejection(
      elb.send(new CreateLoadBalancerCommand({ LoadBalancerName: 'taken', Listeners: [] })),
    );
    // The SDK maps the wire code to its modelled exception (awsQueryError trait).
    expect(e.name).toBe('DuplicateAccessPointNameException');
    expect(e.Error?.Code).toBe('DuplicateLoadBalancerName');
    expect(e.message).toBe('The specified load balancer name already exists.');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.Error?.Type).toBe('Sender');
  });

  it('answers MissingParameter (EC2) and ValidationError (ELB) for a missing required member', async () => {
    const { ec2, elb } = clientsFor(emu.url);
    const e1 = await rejection(ec2.send(new RunInstancesCommand({ MaxCount: 1 } as never)));
    expect(e1.name).toBe('MissingParameter');
    expect(e1.message).toBe('The request must contain the parameter MinCount');
    const e2 = await rejection(elb.send(new CreateLoadBalancerCommand({ Listeners: [] } as never)));
    expect(e2.name).toBe('ValidationError');
    expect(e2.message).toContain("'loadBalancerName'");
  });

  it('answers an unimplemented action with UnsupportedOperation, which the SDK does not retry', async () => {
    const { ec2, elb } = clientsFor(emu.url);
    const e = await rejection(ec2.send(new DescribeVpcsCommand({})));
    expect(e.name).toBe('UnsupportedOperation');
    expect(e.message).toContain('ec2:DescribeVpcs');
    expect(e.message).toContain('GET /_emulator/coverage');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(emu.control.requests.count({ action: 'DescribeVpcs' })).toBe(1);
    const e2 = await rejection(elb.send(new DescribeTagsCommand({ LoadBalancerNames: ['web'] })));
    expect(e2.name).toBe('UnsupportedOperation');
    expect(e2.message).toContain('elb:DescribeTags');
  });

  it('answers InvalidAction for an action no SDK knows', async () => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeUnicorns&Version=2016-11-15',
    });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain('<Response><Errors><Error>');
  });

  it('turns a handler bug into 500 InternalError, logs it, and keeps serving', async () => {
    const { ec2 } = clientsFor(emu.url, { maxAttempts: 2 });
    const e = await rejection(ec2.send(new RebootInstancesCommand({ InstanceIds: ['i-1'] })));
    expect(e.name).toBe('InternalError');
    expect(e.$metadata.httpStatusCode).toBe(500);
    // A server fault: the SDK retried it once.
    expect(emu.control.requests.count({ action: 'RebootInstances' })).toBe(2);
    expect(logged.filter((m) => m.includes('ec2:RebootInstances failed'))).toHaveLength(2);
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions).toHaveLength(1);
  });

  it('accepts a GET with the parameters in the query string', async () => {
    const res = await fetch(`${emu.url}/?Action=DescribeRegions&Version=2016-11-15`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
    expect(xml).toContain('<regionName>us-east-1</regionName>');
  });
});

describe('faults', () => {
  it('throttles EC2 with RequestLimitExceeded (503); the SDK retries and succeeds', async () => {
    const { ec2 } = clientsFor(emu.url);
    emu.control.faults.throttle(1, { service: 'ec2' });
    const out = await ec2.send(new DescribeRegionsCommand({}));
    expect(out.Regions).toHaveLength(1);
    expect(out.$metadata.attempts).toBe(2);
    expect(emu.control.requests.count({ service: 'ec2', action: 'DescribeRegions' })).toBe(2);
  });

  it('throttles ELB with Throttling (400)', async () => {
    const { elb } = clientsFor(emu.url, { maxAttempts: 1 });
    emu.control.faults.throttle(1, { service: 'elb', action: 'DescribeLoadBalancers' });
    const e = await rejection(elb.send(new DescribeLoadBalancersCommand({})));
    expect(e.name).toBe('Throttling');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions).toHaveLength(1);
  });

  it('fails only the targeted action with the given code and status', async () => {
    const { ec2 } = clientsFor(emu.url, { maxAttempts: 1 });
    emu.control.faults.fail(1, { action: 'DescribeInstances', code: 'ServiceUnavailable', status: 503 });
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions).toHaveLength(1);
    const e = await rejection(ec2.send(new DescribeInstancesCommand({})));
    expect(e.name).toBe('ServiceUnavailable');
    expect(e.$metadata.httpStatusCode).toBe(503);
    expect(emu.control.faults.list()).toHaveLength(0);
  });

  it('answers InsufficientInstanceCapacity on RunInstances only', async () => {
    const { ec2 } = clientsFor(emu.url, { maxAttempts: 1 });
    emu.control.faults.insufficientCapacity(1);
    await ec2.send(new DescribeInstancesCommand({}));
    const e = await rejection(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 })));
    expect(e.name).toBe('InsufficientInstanceCapacity');
    expect(e.$metadata.httpStatusCode).toBe(500);
    expect((await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 }))).Instances).toHaveLength(1);
  });

  it('adds latency to matching calls until cleared', async () => {
    const { ec2 } = clientsFor(emu.url);
    emu.control.faults.latency(40, { action: 'DescribeRegions' });
    const start = performance.now();
    await ec2.send(new DescribeRegionsCommand({}));
    expect(performance.now() - start).toBeGreaterThanOrEqual(39);
    emu.control.faults.clear();
    expect(emu.control.faults.list()).toEqual([]);
  });
});
