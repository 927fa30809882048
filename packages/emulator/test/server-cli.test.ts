import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli';

const bin = fileURLToPath(new URL('../bin/aws-trpc-emulator.js', import.meta.url));

describe('parseCli', () => {
  it('defaults to port 4599 on 127.0.0.1 semantics and reads every flag', () => {
    expect(parseCli([])).toEqual({ help: false, options: { port: 4599 } });
    expect(
      parseCli([
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--clock',
        'virtual',
        '--delay-pending',
        '10',
        '--account-id',
        '000011112222',
      ]),
    ).toEqual({
      help: false,
      options: {
        port: 0,
        host: '0.0.0.0',
        clock: 'virtual',
        delays: { pending: 10 },
        accountId: '000011112222',
      },
    });
    expect(parseCli(['-h'])).toEqual({ help: true });
    expect(parseCli(['--', '--port', '5001'])).toEqual({ help: false, options: { port: 5001 } });
  });

  it.each([
    [['--port', '70000'], '--port must be a whole number'],
    [['--clock', 'fast'], '--clock must be "real" or "virtual"'],
    [['--delay-stopping', '-1'], '--delay-stopping'],
    [['--frobnicate'], 'frobnicate'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});

describe('the aws-trpc-emulator bin', () => {
  it('exits 2 with a message on stderr for a bad value', { timeout: 120_000 }, () => {
    const run = spawnSync(process.execPath, [bin, '--clock', 'sideways'], {
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--clock must be "real" or "virtual", got "sideways"');
  });

  it('prints help', { timeout: 120_000 }, () => {
    const run = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 100_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--delay-pending <ms>');
  });

  it('serves, prints the endpoint and env vars, and closes cleanly on SIGTERM', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(process.execPath, [bin, '--port', '0', '--clock', 'virtual'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const printed = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('Coverage:')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      const url = /AWS_ENDPOINT_URL=(\S+)/.exec(printed)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const clock = (await (await fetch(`${url}/_emulator/clock`)).json()) as { kind: string };
      expect(clock.kind).toBe('virtual');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
