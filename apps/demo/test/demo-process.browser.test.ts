/**
 * `pnpm demo` as a person runs it: the CLI process on a real clock, a dashboard tab open in headless
 * Chromium. Load balancers made and deleted elsewhere (the SDK, straight at the emulator) come and go;
 * Ctrl-C stops everything within 2 s with the tab open; the page says the gateway is gone and comes
 * back live when a demo is started again on the same (pinned) ports; the console stays clean.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import { emulatorCredentials } from '@aws-trpc/emulator';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const executablePath = '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
const cwd = fileURLToPath(new URL('..', import.meta.url));
/** Real time for a DOM condition; the load balancer list is polled every 3 s. */
const UI_MS = 15_000;

/** A port that was free a moment ago, to pin the demo's ports. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Demo {
  child: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  stdout: () => string;
}

/** The demo CLI in its own process group, as a terminal runs it, so Ctrl-C reaches the whole group. */
async function startDemo(ports: { port: number; gateway: number; emulator: number }): Promise<Demo> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli.ts',
      '--port',
      String(ports.port),
      '--gateway-port',
      String(ports.gateway),
      '--emulator-port',
      String(ports.emulator),
    ],
    {
      cwd,
      detached: true,
      env: { ...process.env, AWS_TRPC_UPSTREAM: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    const check = () => out.includes('Ctrl-C stops everything') && resolve();
    child.stdout?.on('data', check);
    void exited.then(([code]) => reject(new Error(`demo exited ${code}: ${out}`)));
  });
  return { child, exited, stdout: () => out };
}

/** True while any process of the group is alive. */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

let context: BrowserContext;
let page: Page;
let profile: string;
let demo: Demo | undefined;
const consoleErrors: string[] = [];

describe.skipIf(!hasChromium)('pnpm demo with a tab open', () => {
  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'aws-trpc-demo-process-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  }, 60_000);

  afterAll(async () => {
    if (demo?.child.pid && groupAlive(demo.child.pid)) process.kill(-demo.child.pid, 'SIGKILL');
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('stays true, stops on Ctrl-C within 2 s, shows the gateway gone and reconnects', async () => {
    const ports = { port: await freePort(), gateway: await freePort(), emulator: await freePort() };
    demo = await startDemo(ports);
    // The pinned ports are the ones in use.
    expect(demo.stdout()).toContain(`aws-trpc demo: http://127.0.0.1:${ports.port}/`);
    expect(demo.stdout()).toContain(`gateway   http://127.0.0.1:${ports.gateway}/trpc`);
    expect(demo.stdout()).toContain(`emulator at http://127.0.0.1:${ports.emulator}`);

    await page.goto(`http://127.0.0.1:${ports.port}/`);
    const status = page.getByTestId('stream-status');
    await status.filter({ hasText: '● live' }).waitFor({ timeout: 60_000 });

    // A load balancer created outside the page appears; deleted outside, it goes, and its health is
    // no longer polled.
    const elb = new ElasticLoadBalancingClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${ports.emulator}`,
      credentials: { ...emulatorCredentials },
    });
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'made-elsewhere',
        AvailabilityZones: ['us-east-1a'],
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }],
      }),
    );
    const card = page.locator('article[data-lb="made-elsewhere"]');
    await card.waitFor({ timeout: UI_MS });
    const healthPolls: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('elb.describeInstanceHealth')) healthPolls.push(response.status());
    });
    // Nothing went wrong on the page so far: the favicon, the name pattern, every request.
    await page.getByRole('form', { name: 'create load balancer' }).waitFor({ timeout: UI_MS });
    expect(consoleErrors).toEqual([]);

    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: 'made-elsewhere' }));
    await card.waitFor({ state: 'detached', timeout: UI_MS });
    const notFoundAtRemoval = healthPolls.filter((s) => s === 404).length;
    // Two more seconds of a 1 s health poll: none for the deleted load balancer.
    await page.waitForTimeout(2_000);
    expect(healthPolls.filter((s) => s === 404).length).toBe(notFoundAtRemoval);
    expect(notFoundAtRemoval).toBeLessThanOrEqual(2);
    elb.destroy();

    // The one console error since: Chromium's line for the 404 that told the page the load balancer was gone.
    expect(consoleErrors).toEqual(Array(notFoundAtRemoval).fill(expect.stringMatching(/status of 404/)));
    consoleErrors.length = 0;

    // Ctrl-C with the tab open: the terminal signals the whole process group.
    const pgid = demo.child.pid ?? 0;
    const started = performance.now();
    process.kill(-pgid, 'SIGINT');
    const [code] = await demo.exited;
    const exitMs = performance.now() - started;
    console.log(`demo exited ${code} ${Math.round(exitMs)} ms after SIGINT`);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(2_000);
    expect(groupAlive(pgid)).toBe(false);

    // The page says so.
    await status.filter({ hasText: 'gateway unreachable' }).waitFor({ timeout: UI_MS });

    // Started again on the same ports, the open page goes live again by itself.
    demo = await startDemo(ports);
    await status.filter({ hasText: '● live' }).waitFor({ timeout: 60_000 });

    // A second Ctrl-C does not wait for the first.
    const again = demo.child.pid ?? 0;
    process.kill(-again, 'SIGINT');
    process.kill(-again, 'SIGINT');
    const [, signal] = await demo.exited;
    expect([null, 'SIGINT']).toContain(signal);
    expect(groupAlive(again)).toBe(false);
    // While the gateway was away the browser reported its refused connections, and nothing else.
    expect(consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual(
      [],
    );
  }, 180_000);
});
