import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Releases go through changesets (.changeset/): only the published packages get versions and
 * changelogs; the private ones (gateway, emulator, demo, ...) are never bumped or tagged.
 */
const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

interface Status {
  releases: { name: string; type: string; newVersion: string }[];
}

const privateNames = ['packages', 'apps']
  .flatMap((parent) => readdirSync(join(repoRoot, parent)).map((name) => join(repoRoot, parent, name)))
  .concat(join(repoRoot, 'bench'))
  .map((dir) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      };
    } catch {
      return undefined;
    }
  })
  .filter((m) => m?.private)
  .map((m) => m?.name);

describe('the release tool (changesets)', () => {
  it('plans versions for the published client only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-changeset-'));
    try {
      const output = join(dir, 'status.json');
      const bin = join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js');
      execFileSync(process.execPath, [bin, 'status', '--output', output], { cwd: repoRoot, stdio: 'pipe' });
      const status = JSON.parse(readFileSync(output, 'utf8')) as Status;
      const bumped = status.releases.filter((r) => r.type !== 'none').map((r) => r.name);
      expect(bumped).toContain('@aws-trpc/client');
      expect(bumped.filter((name) => privateNames.includes(name))).toEqual([]);
      expect(privateNames).toContain('@aws-trpc/api');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
