import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, packClient } from '../../src/packed-client';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'consumer');
/** Runs the consumer's own tsc; `--listFiles` tells which files the check read. */
const tsc = (dir: string) => {
  try {
    const stdout = execFileSync(
      process.execPath,
      [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--listFiles'],
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

  it('type-checks a consumer: exact SDK types, misuse rejected', () => {
    const result = tsc(consumer);
    expect(result.errors).toBe('');
    expect(result.code).toBe(0);
    // The router type came from the package's own declarations, not from the workspace's sources.
    expect(result.files.some((f) => f.includes('@aws-trpc/client/types/api/src/router.d.ts'))).toBe(true);
    expect(result.files.filter((f) => /\/packages\/(api|shared|client)\/src\//.test(f))).toEqual([]);
  }, 120_000);

  it('ships declarations whose every relative import resolves (skipLibCheck would hide a broken one)', () => {
    const types = join(consumer, 'node_modules', '@aws-trpc', 'client', 'types');
    const files = readdirSync(types, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.d.ts'),
    );
    expect(files.length).toBeGreaterThan(50);
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(types, file), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)\.js'/g)) {
        const target = resolve(dirname(join(types, file)), `${specifier}.d.ts`);
        if (!existsSync(target)) broken.push(`${file}: ${specifier}`);
      }
    }
    expect(broken).toEqual([]);
  });

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
    const result = tsc(consumer);
    rmSync(join(consumer, 'src', 'misuse.ts'));
    expect(result.code).not.toBe(0);
    expect(result.errors).toMatch(/misuse\.ts\(2,\d+\): error TS2322/);
  }, 120_000);
});
