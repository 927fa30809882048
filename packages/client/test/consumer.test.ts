import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, packClient } from '../scripts/install-packed';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'consumer');
const tsc = (dir: string) => {
  try {
    execFileSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, output: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, output: e.stdout };
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
    const require = createRequire(join(consumer, 'package.json'));
    expect(() => require.resolve('@aws-trpc/api')).toThrow();
  });

  it('type-checks a consumer: exact SDK types, misuse rejected', () => {
    const result = tsc(consumer);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('fails the check when the consumer misuses a procedure (the router type is not any)', () => {
    writeFileSync(
      join(consumer, 'src', 'misuse.ts'),
      "import { createClient } from '@aws-trpc/client';\n" +
        "await createClient({ url: 'x' }).ec2.describeInstances.query({ InstanceIds: 'i-1' });\n",
    );
    const result = tsc(consumer);
    rmSync(join(consumer, 'src', 'misuse.ts'));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('misuse.ts');
  }, 120_000);
});
