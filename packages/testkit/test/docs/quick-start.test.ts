/**
 * The README's quick start, executed as written (the README's own text, not a copy) against a gateway
 * on the emulator: only its gateway URL is pointed at this test's stack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as realDelay } from 'node:timers/promises';
import { DescribeKeyPairsCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { repoRoot, snippetModules } from '../../src/readme-snippets';
import { type Stack, startStack } from '../../src/stack';

const readmeUrl = 'http://127.0.0.1:4000/trpc';
const quickStart = snippetModules('README.md', readFileSync(join(repoRoot, 'README.md'), 'utf8')).find((m) =>
  m.section.startsWith('Quick start'),
);

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack({ streams: { fastIntervalMs: 1_000, slowIntervalMs: 10_000 } });
  // Inside the test kit, so the snippet's `@aws-trpc/client` resolves to the workspace's.
  dir = mkdtempSync(join(repoRoot, 'packages', 'testkit', '.quick-start-'));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs one copy of the snippet while moving the virtual clock, so its waiters end without real waits. */
async function runQuickStart(name: string): Promise<string[]> {
  const code = quickStart?.code ?? '';
  expect(code.split(readmeUrl)).toHaveLength(2);
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, code.replace(readmeUrl, stack.url));
  const logged: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
  let done = false;
  const run = import(file).finally(() => {
    done = true;
  });
  try {
    const deadline = Date.now() + 30_000;
    while (!done && Date.now() < deadline) {
      await stack.clock?.advance(1_000);
      await realDelay(5);
    }
    await run;
  } finally {
    log.mockRestore();
  }
  return logged;
}

it('runs the quick start as written, twice (it cleans up after itself)', async () => {
  expect(quickStart?.code).toContain("createKeyPair({ KeyName: 'deploy' })");
  for (const name of ['first', 'second']) {
    const logged = await runQuickStart(name);
    // The for-await over the `web` collection printed both instances, running.
    expect(logged.filter((l) => / running /.test(l))).toHaveLength(2);
    // And everything it made is gone again: the key pair, the group, the load balancer.
    const keys = await stack.sdk.ec2.send(new DescribeKeyPairsCommand({}));
    expect(keys.KeyPairs?.map((k) => k.KeyName)).not.toContain('deploy');
    const groups = await stack.sdk.ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(groups.SecurityGroups?.map((g) => g.GroupName)).not.toContain('web');
    const lbs = await stack.client.elb.describeLoadBalancers.query({});
    expect(lbs.LoadBalancerDescriptions ?? []).toEqual([]);
  }
}, 90_000);
