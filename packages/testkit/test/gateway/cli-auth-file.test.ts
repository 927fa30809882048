import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hashToken } from '@aws-trpc/api';
import { describe, expect, it } from 'vitest';

/** The production CLI, as an operator runs it. */
const bin = join(
  dirname(createRequire(import.meta.url).resolve('@aws-trpc/api')),
  '..',
  'bin',
  'aws-trpc.js',
);
const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-cli-auth-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, AWS_TRPC_PORT: '', AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

const entry = (name: string, extra: string) => `  - name: ${name}\n    sha256: ${hashToken(name)}\n${extra}`;

describe('auth file checks at start', () => {
  it('stops serve (exit 2) on an upper-case region, naming it (patterns that match nothing: security-auth-file.test.ts)', async () => {
    const upper = file(
      'upper.yaml',
      `tokens:\n${entry('ci', '    allow: [ec2:read]\n    regions: [US-EAST-1]\n')}`,
    );
    const a = await run(['serve', '--port', '0', '--auth-file', upper]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(
      "region 'US-EAST-1' is not an AWS region known to the installed AWS SDK (did you mean 'us-east-1'?",
    );
  });

  it('check-auth-file (and serve --check-auth-file) prints what each token may do and exits', async () => {
    const good = file(
      'good.yaml',
      `tokens:\n${entry('ci', '    allow: [ec2:read, ec2:TerminateInstances]\n    regions: [eu-west-1]\n')}${entry('ops', "    allow: ['*']\n")}`,
    );
    const checked = await run(['check-auth-file', good]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(`${good}: 2 tokens, valid`);
    expect(checked.stdout).toContain('  allow ec2:TerminateInstances: 1 procedure: ec2.terminateInstances');
    expect(checked.stdout).toContain('  regions: eu-west-1');
    expect(checked.stdout).not.toContain(hashToken('ci'));
    const viaServe = await run([
      'serve',
      '--check-auth-file',
      file('bad.yaml', `tokens:\n${entry('x', '    allow: [ec2:read]\n    regions: [zz-fake-1]\n')}`),
    ]);
    expect(viaServe.code).toBe(2);
    expect(viaServe.stderr).toContain(
      "region 'zz-fake-1' is not an AWS region known to the installed AWS SDK",
    );
  });
});
