import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/readme-snippets';

/**
 * docs/configuration.md is the one list of flags and variables: every flag a `--help` prints, and
 * every `AWS_*` variable the code reads, is in it.
 */
const doc = readFileSync(join(repoRoot, 'docs', 'configuration.md'), 'utf8');

const helpOf = (args: string[]) =>
  execFileSync(process.execPath, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, AWS_TRPC_UPSTREAM: '' },
  });

const commands: Record<string, string[]> = {
  'aws-trpc serve': [join('packages', 'api', 'bin', 'aws-trpc.js'), 'serve', '--help'],
  'aws-trpc-dev serve': [join('packages', 'testkit', 'bin', 'aws-trpc-dev.js'), 'serve', '--help'],
  demo: ['--import', 'tsx', join('apps', 'demo', 'src', 'cli.ts'), '--help'],
  walkthrough: ['--import', 'tsx', join('apps', 'demo', 'src', 'walkthrough.ts'), '--help'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.includes('node_modules'))
    .map((f) => join(dir, f));
}

describe('docs/configuration.md', () => {
  it.each(Object.entries(commands))(
    'lists every flag of %s --help',
    (_name, args) => {
      const help = helpOf(args);
      const flags = [...new Set(help.match(/--[a-z][a-z-]+/g) ?? [])].filter((f) => f !== '--help');
      expect(flags.length).toBeGreaterThan(0);
      expect(flags.filter((flag) => !doc.includes(`\`${flag}`))).toEqual([]);
    },
    30_000,
  );

  it('lists every AWS_* variable the gateway, the dev server and the demo read', () => {
    const dirs = ['packages/api/src', 'packages/testkit/src', 'apps/demo/src'].map((d) => join(repoRoot, d));
    const read = new Set(
      dirs
        .flatMap(sourceFiles)
        .flatMap((file) => readFileSync(file, 'utf8').match(/\bAWS_[A-Z0-9_]+\b/g) ?? []),
    );
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !doc.includes(name))).toEqual([]);
  });

  it('is where the gateway help points', () => {
    expect(helpOf(commands['aws-trpc serve'] ?? [])).toContain('docs/configuration.md');
  });
});
