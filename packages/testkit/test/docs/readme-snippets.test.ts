import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReadmeSnippets, readmePaths, repoRoot, snippetModules } from '../../src/readme-snippets';

describe('the README snippets', () => {
  it('are found in every README', () => {
    const counts = Object.fromEntries(
      readmePaths().map((file) => [
        file,
        snippetModules(file, readFileSync(join(repoRoot, file), 'utf8')).length,
      ]),
    );
    expect(counts['README.md']).toBeGreaterThanOrEqual(5);
    expect(counts['packages/client/README.md']).toBeGreaterThanOrEqual(10);
    expect(Object.keys(counts)).toContain('apps/demo/README.md');
  });

  it('type-check under strict against the workspace packages', () => {
    const errors = checkReadmeSnippets(readmePaths()).map((e) => `${e.at} TS${e.code}: ${e.message}`);
    expect(errors).toEqual([]);
  }, 120_000);

  it('fail the check with file and line when a snippet is broken (a temp copy of the README)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-readme-'));
    try {
      const lines = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('\n');
      // Put back the subscription example's old mistake: `onData: ({ id, data })`, on an event union
      // whose `status` member is not tracked (TS2339 under strict; a TypeError at run time).
      const at = lines.findIndex((l) => l.trim() === 'onData: (event) => {');
      const unwrap = lines.findIndex((l, i) => i > at && l.includes("'data' in event ? event.data : event"));
      expect(at).toBeGreaterThan(0);
      expect(unwrap).toBeGreaterThan(at);
      lines[at] = '    onData: ({ id, data }) => {';
      lines[unwrap] = '';
      const copy = join(dir, 'README.md');
      writeFileSync(copy, lines.join('\n'));
      const errors = checkReadmeSnippets([copy]).map((e) => `${e.at} TS${e.code}`);
      expect(errors).toContain(`${copy}:${at + 1}:16 TS2339`);
      expect(errors.every((e) => e.startsWith(`${copy}:`))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
