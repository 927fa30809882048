/**
 * `pnpm bench --smoke` end to end: every suite runs with tiny sizes through the real runner and the
 * real servers, each produces finite figures, and the smoke run leaves the tree untouched.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchRun } from '../src/report';
import { suites } from '../src/suites';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'aws-trpc-bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** `tsx bench/src/run.ts …`, as `pnpm bench` runs it. */
function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/src/run.ts', ...args],
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('pnpm bench', () => {
  it('refuses an unknown suite with exit code 2 and the list of suites', async () => {
    const { code, stderr } = await bench(['--only', 'overhead,nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('no suite named nope');
    expect(stderr).toContain('cold-start');
  });

  it('--smoke runs every suite and each gives finite figures, without touching the tree', async () => {
    const benchmarksMd = readFileSync(join(repoRoot, 'BENCHMARKS.md'), 'utf8');
    const resultsBefore = readdirSync(join(repoRoot, 'bench', 'results'));

    const { code, stdout, stderr } = await bench(['--smoke', '--out', out]);
    expect(code, `${stdout}\n${stderr}`.slice(-3_000)).toBe(0);

    const files = readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const run = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as BenchRun;
    expect(run.smoke).toBe(true);
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.machine.node).toBe(process.version);
    expect(run.suites.map((s) => s.suite)).toEqual(suites.map((s) => s.name));

    for (const suite of suites) {
      const result = run.suites.find((s) => s.suite === suite.name)!;
      // A package's suite may not be written yet; then (and only then) it is reported missing.
      const expected = existsSync(join(repoRoot, suite.module)) ? 'ok' : 'missing';
      expect(result.status, `${suite.name}: ${result.error}`).toBe(expected);
      if (expected === 'missing') continue;
      expect(result.figures.length, suite.name).toBeGreaterThan(0);
      for (const f of result.figures) {
        expect(Number.isFinite(f.value), `${suite.name}: ${f.name} = ${f.value}`).toBe(true);
        expect(typeof f.unit).toBe('string');
      }
      for (const g of result.goals) {
        expect(Number.isFinite(g.measured), `${suite.name}: ${g.goal}`).toBe(true);
        expect(typeof g.pass).toBe('boolean');
      }
    }
    // Our own suites carry the goals.
    const goalsOf = (name: string) => run.suites.find((s) => s.suite === name)!.goals.map((g) => g.bound);
    expect(goalsOf('overhead')).toEqual(['≤ 1.5', '≥ 70']);
    expect(goalsOf('cold-start')).toEqual(['≤ 3', '≤ 1.5']);

    const table = readFileSync(join(out, 'table.md'), 'utf8');
    for (const suite of suites) expect(table).toContain(`#### ${suite.name} (`);
    // Smoke figures are not figures to quote: BENCHMARKS.md and bench/results stay as they were.
    expect(readFileSync(join(repoRoot, 'BENCHMARKS.md'), 'utf8')).toBe(benchmarksMd);
    expect(readdirSync(join(repoRoot, 'bench', 'results'))).toEqual(resultsBefore);
  });
});
