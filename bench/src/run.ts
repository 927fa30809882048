/**
 * `pnpm bench [--smoke] [--only name,...] [--out dir] [--help]`: runs the benchmark suites (suites.ts),
 * each in a process of its own, one after another (the machine is small: concurrent suites would
 * measure each other). A full run writes bench/results/<date>.json and the table in BENCHMARKS.md.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import type { SuiteResult } from './figure';
import { currentLoad, describeMachine } from './machine';
import { type BenchRun, renderTable, updateBenchmarksMd, writeResults } from './report';
import { type Suite, suites } from './suites';
import { benchFile, repoRoot, tsExecArgv } from './ts-process';

const help = `Usage: pnpm bench [--smoke] [--only name,...] [--out dir] [--cpu-prof dir]

Runs the benchmark suites one after another, each in its own process:
  ${suites.map((s) => s.name).join(', ')}

  --smoke        every suite with tiny sizes, in seconds (what the test suite and CI run); writes to a
                 temporary directory (or --out), never to bench/results or BENCHMARKS.md
  --only a,b     only these suites; their results replace the same suites' in today's
                 bench/results/<date>.json, and the table in BENCHMARKS.md is written again
  --out dir      write the results (and table.md) to this directory instead
  --cpu-prof dir every suite and server process writes a V8 CPU profile (.cpuprofile) to dir;
                 summarize one with \`tsx bench/src/profile-summary.ts file\`
  -h, --help     show this help

A full run writes bench/results/<date>.json and the table in BENCHMARKS.md.
`;

/** `--only` reruns some suites of today's run: their new results replace the old ones. */
function mergeRuns(earlier: BenchRun, later: BenchRun): BenchRun {
  const byName = new Map(earlier.suites.map((s) => [s.suite, s]));
  for (const s of later.suites) byName.set(s.suite, s);
  return {
    ...later,
    startedAt: earlier.startedAt,
    command: `${earlier.command}, then ${later.command}`,
    machine: {
      ...later.machine,
      loadAverage: { start: earlier.machine.loadAverage.start, end: later.machine.loadAverage.end },
    },
    suites: suites.flatMap((s) => byName.get(s.name) ?? []),
  };
}

/** The message lines of a crash, without the stack frames (the suite's stderr has them all). */
function firstLines(stderr: string): string {
  const noise = /^\s+at |^node:internal|triggerUncaughtException|^\s*\^\s*$|^Node\.js v/;
  const lines = stderr.split('\n').filter((line) => line.trim() && !noise.test(line));
  return lines.slice(0, 4).join('\n');
}

function runSuite(suite: Suite, smoke: boolean): Promise<SuiteResult> {
  const started = performance.now();
  const base = { suite: suite.name, method: '', figures: [], goals: [] };
  if (!existsSync(join(repoRoot, suite.module))) {
    return Promise.resolve({
      ...base,
      status: 'missing',
      durationMs: 0,
      error: `${suite.module} does not exist`,
    });
  }
  return new Promise((resolve) => {
    let stderr = '';
    let answer: Omit<SuiteResult, 'suite' | 'status' | 'durationMs'> | undefined;
    const child = fork(benchFile('run-suite.ts'), [suite.name, ...(smoke ? ['--smoke'] : [])], {
      cwd: repoRoot,
      execArgv: tsExecArgv(),
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(0, 16_000);
      process.stderr.write(chunk);
    });
    const limit = smoke ? suite.timeoutMs.smoke : suite.timeoutMs.full;
    const timer = setTimeout(() => {
      stderr += `\nkilled after ${limit} ms`;
      child.kill('SIGKILL');
    }, limit);
    child.on('message', (message) => {
      answer = message as typeof answer;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      if (code === 0 && answer) resolve({ suite: suite.name, status: 'ok', durationMs, ...answer });
      else
        resolve({
          ...base,
          status: 'failed',
          durationMs,
          error: firstLines(stderr),
        });
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean' },
      only: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    // `pnpm bench -- --smoke` hands the separator through.
    args: process.argv.slice(2).filter((a) => a !== '--'),
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const smoke = values.smoke ?? false;
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((name) => !suites.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`bench: no suite named ${unknown.join(', ')}\n\n${help}`);
    process.exitCode = 2;
    return;
  }
  if (values['cpu-prof']) process.env.AWS_TRPC_BENCH_CPU_PROF = resolvePath(values['cpu-prof']);
  const chosen = only ? suites.filter((s) => only.includes(s.name)) : suites;

  const startedAt = new Date();
  const machine = describeMachine();
  const results: SuiteResult[] = [];
  for (const suite of chosen) {
    process.stdout.write(`bench: ${suite.name}${smoke ? ' (smoke)' : ''}…\n`);
    const loadAverage = currentLoad();
    const result = { ...(await runSuite(suite, smoke)), loadAverage };
    process.stdout.write(
      `bench: ${suite.name} ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s\n`,
    );
    results.push(result);
  }
  machine.loadAverage.end = currentLoad();

  const command = `pnpm bench${smoke ? ' --smoke' : ''}${only ? ` --only ${only.join(',')}` : ''}`;
  let run: BenchRun = { startedAt: startedAt.toISOString(), command, smoke, machine, suites: results };
  const outDir =
    values.out ??
    (smoke ? mkdtempSync(join(tmpdir(), 'aws-trpc-bench-')) : join(repoRoot, 'bench', 'results'));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${startedAt.toISOString().slice(0, 10)}.json`);
  const official = !smoke && !values.out;
  if (official && only && existsSync(file))
    run = mergeRuns(JSON.parse(readFileSync(file, 'utf8')) as BenchRun, run);
  writeResults(file, run);
  const table = renderTable(run);
  if (official) updateBenchmarksMd(join(repoRoot, 'BENCHMARKS.md'), table);
  else writeFileSync(join(outDir, 'table.md'), `${table}\n`);
  process.stdout.write(`${table}\n\nbench: results in ${file}\n`);
  if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
