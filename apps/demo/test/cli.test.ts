import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;

function start(args: string[]) {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd,
    env: { ...process.env, AWS_TRPC_UPSTREAM: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  /** Resolves once stdout holds `text`, or rejects if the process exits first. */
  const printed = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => stdout.includes(text) && resolve(stdout);
      child?.stdout?.on('data', check);
      check();
      void exited.then(([code]) =>
        reject(new Error(`exited ${code} before printing "${text}": ${stdout}${stderr}`)),
      );
    });
  return { exited, printed, output: () => ({ stdout, stderr }) };
}

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

describe('pnpm demo', () => {
  it('--help prints the options and exits 0; a bad --port exits 2', async () => {
    const help = start(['--help']);
    expect((await help.exited)[0]).toBe(0);
    expect(help.output().stdout).toContain('--port <n>');
    expect(help.output().stdout).toContain('AWS_TRPC_UPSTREAM=aws');
    const bad = start(['--port', 'eighty']);
    expect((await bad.exited)[0]).toBe(2);
    expect(bad.output().stderr).toContain("--port: 'eighty' is not a port number");
    expect(help.output().stdout).toMatch(/--gateway-port <n>[\s\S]*--emulator-port <n>/);
    for (const flag of ['--gateway-port', '--emulator-port']) {
      const pinned = start([flag, '70000']);
      expect((await pinned.exited)[0]).toBe(2);
      expect(pinned.output().stderr).toContain(`${flag}: '70000' is not a port number (0-65535)`);
    }
  });

  it('serves the dashboard and the gateway on one port, and stops cleanly on SIGINT', async () => {
    const demo = start(['--port', '0']);
    const out = await demo.printed('Ctrl-C stops everything');
    const dashboard = /aws-trpc demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
    expect(dashboard).toBeDefined();
    const page = await fetch(dashboard!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/main.tsx');
    expect(await (await fetch(`${dashboard}healthz`)).json()).toEqual({ status: 'ok' });
    // The gateway answers through the dashboard's origin: a real DescribeAvailabilityZones on the emulator.
    const zones = await fetch(
      `${dashboard}trpc/ec2.describeAvailabilityZones?input=${encodeURIComponent('{"j":{}}')}`,
    );
    expect(zones.status).toBe(200);
    expect(await zones.text()).toContain('us-east-1a');

    child!.kill('SIGINT');
    const [code] = await demo.exited;
    expect(code).toBe(0);
    expect(demo.output().stdout).toContain('SIGINT, shutting down');
  }, 90_000);
});
