import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, packClient } from '../../src/packed-client';
import { startStack } from '../../src/stack';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'consumer');
/** Runs the consumer's own tsc (its tsconfig: strict, no skipLibCheck); `--listFiles` tells which files it read. */
const tsc = (dir: string, ...flags: string[]) => {
  try {
    const stdout = execFileSync(
      process.execPath,
      [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--listFiles', ...flags],
      {
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );
    return { code: 0, errors: '', files: stdout.split('\n') };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    const lines = e.stdout.split('\n');
    return { code: e.status, errors: lines.filter((l) => l.includes('error TS')).join('\n'), files: lines };
  }
};

let packDir: string;
let consumer: string;
beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'aws-trpc-pack-'));
  consumer = installPacked(packClient(packDir), fixture);
}, 300_000);
afterAll(() => {
  for (const dir of [packDir, consumer]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed client', () => {
  it('installs without the gateway source', () => {
    expect(existsSync(join(consumer, 'node_modules', '@aws-trpc', 'client', 'package.json'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', '@aws-trpc', 'api'))).toBe(false);
    expect(existsSync(join(consumer, 'node_modules', '@aws-trpc', 'shared'))).toBe(false);
  });

  it('type-checks a consumer under strict without skipLibCheck: exact SDK types, misuse rejected', () => {
    const config = JSON.parse(readFileSync(join(consumer, 'tsconfig.json'), 'utf8'));
    expect(config.compilerOptions).toMatchObject({ strict: true, skipLibCheck: false });
    const result = tsc(consumer);
    expect(result.errors).toBe('');
    expect(result.code).toBe(0);
    // Of the package, the check read its two declaration bundles and nothing else: no gateway source,
    // and no server-only package (pino, prom-client) was needed.
    const ofPackage = result.files
      .filter((f) => f.includes('/@aws-trpc/client/'))
      .map((f) => f.replace(/.*@aws-trpc\/client\//, ''));
    expect(ofPackage.sort()).toEqual(['dist/browser.d.ts', 'dist/index.d.ts']);
    expect(
      result.files.filter((f) =>
        /\/packages\/(api|shared|client|emulator)\/src\/|\/(pino|prom-client)\//.test(f),
      ),
    ).toEqual([]);
  }, 120_000);

  it('runs under plain Node.js against a gateway: calls, a waiter and a subscription', async () => {
    const stack = await startStack({
      clock: 'real',
      delays: { pending: 300, stopping: 300, shuttingDown: 300 },
      streams: { fastIntervalMs: 200 },
    });
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(consumer, 'dist', 'run.js'), stack.url],
        {
          cwd: consumer,
          timeout: 30_000,
        },
      );
      const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      expect(seen).toMatchObject({
        keyName: 'consumer',
        state: 'running',
        launchTimeIsDate: true,
        notFound: 'InvalidInstanceID.NotFound',
      });
      expect(seen.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(seen.events[0]).toMatch(/^snapshot:/);
      expect(seen.events.join(' ')).toMatch(/running/);
      // What the consumer did reached the emulator.
      const keys = await stack.client.ec2.describeKeyPairs.query({ KeyNames: ['consumer'] });
      expect(keys.KeyPairs?.map((k) => k.KeyName)).toEqual(['consumer']);
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('serves ./browser: the typed client without the resources or the AWS SDK at run time', () => {
    const script =
      "const m = await import('@aws-trpc/client/browser');" +
      "console.log(JSON.stringify({ createClient: typeof m.createClient, resources: 'resources' in m }));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ createClient: 'function', resources: false });
    const bundle = readFileSync(
      join(consumer, 'node_modules', '@aws-trpc', 'client', 'dist', 'browser.js'),
      'utf8',
    );
    expect(bundle).toContain('@trpc/client');
    expect(bundle).not.toMatch(/from ["']@aws-sdk\//);
  });

  it('fails the check when the consumer misuses a procedure (the router type is not any)', () => {
    writeFileSync(
      join(consumer, 'src', 'misuse.ts'),
      "import { createClient } from '@aws-trpc/client';\n" +
        "export const misuse = () => createClient({ url: 'x' }).ec2.describeInstances.query({ InstanceIds: 'i-1' });\n",
    );
    const result = tsc(consumer, '--noEmit');
    rmSync(join(consumer, 'src', 'misuse.ts'));
    expect(result.code).not.toBe(0);
    expect(result.errors).toMatch(/misuse\.ts\(2,\d+\): error TS2322/);
  }, 120_000);
});
