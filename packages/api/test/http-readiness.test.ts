import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../src/core/aws-clients';
import { createReadinessProbe, readyzHandler } from '../src/http/readiness';

let emu: Emulator;
let aws: AwsClients;
beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  aws = createAwsClients({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
    connectionTimeoutMs: 1_000,
    requestTimeoutMs: 1_000,
  });
});
afterAll(async () => {
  aws?.destroy();
  await emu?.close();
});

/** Serves one handler on a loopback port, as the gateway's server does for /readyz. */
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) {
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { get: () => fetch(url), close: () => new Promise((r) => server.close(r)) };
}

describe('readiness (/readyz)', () => {
  it('is ready when the upstream answers, caching the answer so probes are not upstream load', async () => {
    let now = 0;
    const probe = createReadinessProbe(aws, { cacheMs: 5_000, now: () => now });
    const before = emu.control.requests.count({ action: 'DescribeRegions' });
    const s = await serve(readyzHandler(probe));
    const res = await s.get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', upstream: 'ok' });
    await s.get();
    expect(emu.control.requests.count({ action: 'DescribeRegions' })).toBe(before + 1);
    now += 5_000;
    await s.get();
    expect(emu.control.requests.count({ action: 'DescribeRegions' })).toBe(before + 2);
    await s.close();
  });

  it('is not ready (503) when the upstream is unreachable, and says so', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const dead = createAwsClients({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: emulatorCredentials,
      maxAttempts: 1,
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 1_000,
    });
    const s = await serve(readyzHandler(createReadinessProbe(dead, { timeoutMs: 1_000 })));
    const res = await s.get();
    await s.close();
    dead.destroy();
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; upstream: string; redis?: string };
    expect(body.status).toBe('unavailable');
    expect(body.upstream).toMatch(/^unreachable: /);
    // Without Redis configured, readiness says nothing about it.
    expect(body.redis).toBeUndefined();
  });
});
