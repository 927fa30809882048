import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboardServer } from '../src/dashboard-server';
import { type DemoStack, startDemoStack } from '../src/stack';

const executablePath = '/usr/bin/chromium';
const hasChromium = existsSync(executablePath);
if (!hasChromium)
  console.warn(`dashboard browser test skipped: ${executablePath} is missing (apt-get install chromium)`);

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
/** The README's screenshots are refreshed only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
const readmeShots = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
  : artifacts;
const operatorToken = 'demo-operator-token-0123456789';
const viewerToken = 'demo-viewer-token-0123456789';
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const auth = {
  tokens: [
    { name: 'operator', sha256: sha256(operatorToken), allow: ['ec2:*', 'elb:*'] },
    { name: 'viewer', sha256: sha256(viewerToken), allow: ['ec2:Describe*', 'elb:Describe*'] },
  ],
};

/** A DOM condition is met within this (real) time once the clock has moved; nothing here sleeps. */
const UI_MS = 20_000;

let stack: DemoStack;
let dashboard: DashboardServer;
let context: BrowserContext;
let page: Page;
let profile: string;

/** Moves the emulator's virtual clock and fires the gateway's polls on the way. */
const advance = (ms: number) => stack.clock!.advance(ms);

const countIn = (selector: string, text: string) =>
  page.evaluate(
    ([sel, t]) => [...document.querySelectorAll(sel ?? '')].filter((e) => e.textContent?.trim() === t).length,
    [selector, text],
  );
const waitForCount = (selector: string, text: string, n: number) =>
  page.waitForFunction(
    ([sel, t, count]) =>
      [...document.querySelectorAll(sel as string)].filter((e) => e.textContent?.trim() === t).length ===
      count,
    [selector, text, n] as const,
    { timeout: UI_MS },
  );

describe.skipIf(!hasChromium)('the dashboard in headless Chromium', () => {
  beforeAll(async () => {
    // Shutting down outlasts a clock step (5 s), so the table shows it before `terminated`.
    stack = await startDemoStack({ clock: 'virtual', delays: { shuttingDown: 10_000 }, auth });
    dashboard = await startDashboardServer(stack, { hmr: false });
    profile = await mkdtemp(join(tmpdir(), 'aws-trpc-demo-chromium-'));
    await mkdir(artifacts, { recursive: true });
    await mkdir(readmeShots, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    // The last state, for a failed run.
    await page?.screenshot({ path: join(artifacts, 'last.png'), fullPage: true }).catch(() => undefined);
    await context?.close();
    await dashboard?.close();
    await stack?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('launches instances, sees them run, balances them and terminates one, without a reload', async () => {
    await page.goto(`${dashboard.url}?token=${operatorToken}`);
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 90_000 });
    await page.locator('[data-permissions=ready]').waitFor({ timeout: UI_MS });
    // Survives only if the page is never reloaded.
    await page.evaluate(() => {
      (window as unknown as { loadedOnce: number }).loadedOnce = 1;
    });

    // Launch 2 from the form: AMI from DescribeImages, tags.
    const launch = page.getByRole('form', { name: 'launch instances' });
    await launch.getByLabel('AMI').locator('option').first().waitFor({ state: 'attached', timeout: UI_MS });
    await launch.getByLabel('tags').fill('Name=web, env=demo');
    await launch.getByRole('button', { name: 'Launch' }).click();
    await waitForCount('[data-testid=state]', 'pending', 2);
    await page.getByTestId('wait').filter({ hasText: 'Launch' }).first().waitFor({ timeout: UI_MS });

    await advance(5_000);
    await waitForCount('[data-testid=state]', 'running', 2);
    await waitForCount('[data-testid=event-log] .state', 'running', 2);
    await page.getByTestId('wait').filter({ hasText: 'success' }).first().waitFor({ timeout: UI_MS });

    // A load balancer over both; the health column goes InService as the clock passes 2 checks.
    const create = page.getByRole('form', { name: 'create load balancer' });
    await create.getByLabel('load balancer name').fill('web-lb');
    await create.getByText('Register the 2 running instances').waitFor({ timeout: UI_MS });
    await create.getByRole('button', { name: 'Create' }).click();
    const lb = page.locator('article[data-lb="web-lb"]');
    await lb.waitFor({ timeout: UI_MS });
    expect(await lb.textContent()).toContain('HTTP:80 → HTTP:80');
    await waitForCount('[data-lb="web-lb"] [data-testid=lb-health] .health', 'OutOfService', 2);
    await advance(15_000);
    await waitForCount('[data-lb="web-lb"] [data-testid=lb-health] .health', 'InService', 2);
    await page.screenshot({ path: join(artifacts, 'dashboard-1280.png') });
    await page.screenshot({ path: join(readmeShots, 'dashboard.png') });

    // Terminate asks first.
    const firstRow = page.locator('tr[data-instance-id]').first();
    const id = await firstRow.getAttribute('data-instance-id');
    await firstRow.getByRole('button', { name: 'Terminate' }).click();
    await firstRow.getByRole('button', { name: 'Yes, terminate' }).click();
    await page
      .getByTestId('wait')
      .filter({ hasText: `Terminate ${id}` })
      .waitFor({ timeout: UI_MS });
    // The gateway's next poll of the state source sees it (at rest it polls every 2 s).
    await advance(5_000);
    await page.waitForFunction(
      (i) =>
        document.querySelector(`tr[data-instance-id="${i}"] [data-testid=state]`)?.textContent ===
        'shutting-down',
      id,
      { timeout: UI_MS },
    );
    await advance(10_000);
    await page.waitForFunction(
      (i) =>
        document.querySelector(`tr[data-instance-id="${i}"] [data-testid=state]`)?.textContent ===
        'terminated',
      id,
      { timeout: UI_MS },
    );
    expect(await countIn('[data-testid=state]', 'running')).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: number }).loadedOnce)).toBe(1);
    await page.screenshot({ path: join(artifacts, 'dashboard-terminated.png'), fullPage: true });

    // Tag the survivor, then filter on that tag: the table and the stream narrow to it.
    const survivor = page.locator('tr[data-instance-id]').filter({ hasText: 'running' });
    const survivorId = await survivor.getAttribute('data-instance-id');
    await survivor.getByRole('button', { name: 'Name=web, env=demo' }).click();
    await survivor.getByLabel('tag key').fill('role');
    await survivor.getByLabel('tag value').fill('api');
    await survivor.getByRole('button', { name: 'Add' }).click();
    await survivor.getByText('role=api').waitFor({ timeout: UI_MS });
    await survivor.getByRole('button', { name: 'done' }).click();
    await page.getByLabel('filter tag key').fill('role');
    await page.getByLabel('filter tag value').fill('api');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('tr[data-instance-id]').length === 1,
      undefined,
      {
        timeout: UI_MS,
      },
    );
    expect(await page.locator('tr[data-instance-id]').getAttribute('data-instance-id')).toBe(survivorId);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('tr[data-instance-id]').length === 2,
      undefined,
      {
        timeout: UI_MS,
      },
    );

    // Phone width: one column, still every control.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getByRole('button', { name: 'Launch' }).isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-phone.png'), fullPage: true });
    await page.screenshot({ path: join(readmeShots, 'dashboard-phone.png') });
  }, 240_000);

  it('hides what a read-only token may not do, and still streams to it', async () => {
    const viewer = await context.newPage();
    await viewer.goto(`${dashboard.url}?token=${viewerToken}`);
    await viewer.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
    await viewer.locator('tr[data-instance-id]').nth(1).waitFor({ timeout: UI_MS });
    await viewer.locator('article[data-lb="web-lb"] .health').first().waitFor({ timeout: UI_MS });
    // Once every permission probe has answered; the operator's page shows what the viewer's lacks.
    await viewer.locator('[data-permissions=ready]').waitFor({ timeout: UI_MS });
    expect(await page.getByRole('form', { name: 'launch instances' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Terminate' }).count()).toBe(1);
    expect(await viewer.getByRole('form', { name: 'launch instances' }).count()).toBe(0);
    expect(await viewer.getByRole('form', { name: 'create load balancer' }).count()).toBe(0);
    expect(
      await viewer.getByRole('button', { name: /^(Stop|Reboot|Terminate|Delete|Register)$/ }).count(),
    ).toBe(0);
    expect(await viewer.getByText('deregister').count()).toBe(0);
    expect(
      await viewer
        .getByRole('checkbox', { name: /^zone / })
        .first()
        .isDisabled(),
    ).toBe(true);
    await viewer.screenshot({ path: join(artifacts, 'dashboard-viewer.png'), fullPage: true });
    await viewer.close();
  }, 120_000);
});
