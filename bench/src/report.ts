/** The results file and the table in BENCHMARKS.md, both from one run. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { SuiteResult } from './figure';
import type { Machine } from './machine';

export interface BenchRun {
  /** ISO timestamp of the start of the run. */
  startedAt: string;
  command: string;
  smoke: boolean;
  machine: Machine;
  suites: SuiteResult[];
}

export const tableBegin = '<!-- bench:table:begin (written by `pnpm bench`; do not edit by hand) -->';
export const tableEnd = '<!-- bench:table:end -->';

const number = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTable(run: BenchRun): string {
  const m = run.machine;
  const lines = [
    `Run of ${run.startedAt} (\`${run.command}\`${run.smoke ? ', smoke mode: tiny sizes, not figures to quote' : ''}).`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}; Node ${m.node}. ` +
      `Load average (1 min) ${number(m.loadAverage.start)} at the start, ${number(m.loadAverage.end ?? Number.NaN)} at the end.`,
    '',
    '### Goals',
    '',
    '| suite | goal | measured | bound | result |',
    '|---|---|---:|---|---|',
  ];
  for (const s of run.suites) {
    for (const g of s.goals) {
      lines.push(
        `| ${s.suite} | ${cell(g.goal)} | ${number(g.measured)} ${g.unit} | ${cell(g.bound)} ${g.unit} | ${g.pass ? 'pass' : '**miss**'} |`,
      );
    }
  }
  lines.push('', '### Suites', '');
  for (const s of run.suites) {
    const load = s.loadAverage === undefined ? '' : `, load average ${number(s.loadAverage)} at its start`;
    lines.push(`#### ${s.suite} (${s.status}, ${number(s.durationMs / 1000)} s${load})`, '');
    if (s.status !== 'ok') {
      lines.push(
        s.status === 'missing' ? `Not run: ${cell(s.error ?? '')}` : `Failed: ${cell(s.error ?? '')}`,
        '',
      );
      continue;
    }
    if (s.method) lines.push(`Method: ${cell(s.method)}`, '');
    lines.push('| figure | value | unit |', '|---|---:|---|');
    for (const f of s.figures) lines.push(`| ${cell(f.name)} | ${number(f.value)} | ${f.unit} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Replaces the text between the markers of BENCHMARKS.md; the rest of the file is prose kept by hand. */
export function updateBenchmarksMd(path: string, table: string): void {
  const text = readFileSync(path, 'utf8');
  const begin = text.indexOf(tableBegin);
  const end = text.indexOf(tableEnd);
  if (begin < 0 || end < begin) throw new Error(`${path}: the table markers are missing`);
  writeFileSync(path, `${text.slice(0, begin + tableBegin.length)}\n\n${table}\n${text.slice(end)}`);
}

export function writeResults(path: string, run: BenchRun): void {
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`);
}
