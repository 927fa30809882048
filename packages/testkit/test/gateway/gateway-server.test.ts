import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@aws-trpc/client';
import { describe, expect, it } from 'vitest';
import { FetchEventSource, startStack } from '../../src/index';

/** The production CLI (`aws-trpc`, packages/api/bin) and the development one (`aws-trpc-dev`). */
const bin = join(
  dirname(createRequire(import.meta.url).resolve('@aws-trpc/api')),
  '..',
  'bin',
  'aws-trpc.js',
);
const devBin = fileURLToPath(new URL('../../bin/aws-trpc-dev.js', import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  args: string[],
  env: Record<string, string> = {},
  program = bin,
): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [program, ...args], {
    env: { ...process.env, AWS_TRPC_PORT: '', AWS_REGION: '', AWS_DEFAULT_REGION: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, exit };
}

/** Resolves with the first stdout line that matches, as the process writes it. */
function lineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += d.toString();
      const m = buffered.match(pattern);
      if (m) {
        child.stdout?.off('data', onData);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}`)));
  });
}

describe('the CLI', () => {
  it('prints help for the program and for serve, exit 0', async () => {
    const program = await run(['--help']).exit;
    expect(program.code).toBe(0);
    expect(program.stdout).toContain('Usage: aws-trpc <command>');
    const serve = await run(['serve', '--help']).exit;
    expect(serve.code).toBe(0);
    for (const flag of ['--port', '--host', '--region', '--endpoint']) expect(serve.stdout).toContain(flag);
    // The production gateway carries no emulator; the development CLI adds it.
    expect(serve.stdout).not.toContain('--emulator');
    const dev = await run(['serve', '--help'], {}, devBin).exit;
    expect(dev.code).toBe(0);
    for (const flag of ['--emulator', '--emulator-port', '--port', '--endpoint'])
      expect(dev.stdout).toContain(flag);
  });

  it.each([
    [['serve', '--port', 'eighty'], {}, "--port: 'eighty' is not an integer"],
    [['serve', '--port', '70000'], {}, '--port'],
    [['serve', '--region', 'Mars'], {}, "--region: 'Mars' is not an AWS region name"],
    [['serve', '--no-such-flag'], {}, 'no-such-flag'],
    [['serve'], { AWS_TRPC_PORT: 'x' }, 'AWS_TRPC_PORT'],
    [['frobnicate'], {}, "unknown command 'frobnicate'"],
    [['serve', '--host', '0.0.0.0'], {}, 'without an auth file'],
    [['serve', '--auth-file', '/nonexistent/auth.yaml'], {}, '/nonexistent/auth.yaml'],
    // Redis's password is in its URL: the message must not repeat it.
    [['serve', '--redis-url', 'http://:hunter2@redis.internal'], {}, '--redis-url: must start with redis://'],
  ] as const)('refuses %j %j with a clear message and exit code 2', async (args, env, message) => {
    const { code, stderr } = await run([...args], env).exit;
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('hunter2');
  });

  it('aws-trpc-dev serve --emulator answers /healthz and typed calls, and exits 0 on SIGTERM', async () => {
    const { child, exit } = run(['serve', '--emulator', '--port', '0'], {}, devBin);
    try {
      const [, url] = await lineMatching(child, /listening on (http:\/\/127\.0\.0\.1:\d+\/trpc)/);
      const origin = new URL(url as string).origin;
      const health = await fetch(`${origin}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const zones = await createClient({ url: url as string }).ec2.describeAvailabilityZones.query({});
      expect(zones.AvailabilityZones?.[0]?.RegionName).toBe('us-east-1');
    } finally {
      child.kill('SIGTERM');
    }
    const { code, stdout } = await exit;
    expect(stdout).toContain('SIGTERM');
    expect(code).toBe(0);
  });
});

describe('the HTTP server', () => {
  it('answers /healthz, 404s elsewhere, and drains in-flight calls on close', async () => {
    const stack = await startStack({ gateway: { maxAttempts: 1 } });
    const { url, origin, gateway } = stack;
    const emu = stack.emulator!;
    try {
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/nope`)).status).toBe(404);

      // The emulator holds the call; close() starts as soon as the gateway has received it.
      emu.control.faults.latency(200, { action: 'DescribeKeyPairs' });
      let closed: Promise<void> | undefined;
      gateway.http.server.once('request', () => {
        closed = gateway.close(5_000);
      });
      const out = await createClient({ url }).ec2.describeKeyPairs.query({});
      expect(out.KeyPairs).toEqual([]);
      expect(closed).toBeDefined();
      await closed;
      await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
    } finally {
      await stack.close();
    }
  });

  it('ends open SSE subscriptions on close instead of waiting for them', async () => {
    const stack = await startStack({ gateway: { maxAttempts: 1 } });
    const { url, gateway } = stack;
    const client = createClient({ url, EventSource: FetchEventSource as unknown as typeof EventSource });
    try {
      let unsubscribe = () => {};
      const first = new Promise<unknown>((resolve, reject) => {
        ({ unsubscribe } = client.ec2.onInstanceStateChange.subscribe(
          {},
          { onData: resolve, onError: reject },
        ));
      });
      expect(await first).toBeDefined();
      // A grace far beyond the test timeout: close() only resolves in time if it ends the stream.
      await gateway.close(120_000);
      unsubscribe();
    } finally {
      await stack.close();
    }
  });
});
