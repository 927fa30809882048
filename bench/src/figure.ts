/**
 * One measured number. Every suite, ours or a package's, ends up as a flat list of these, so the
 * results file, the table in BENCHMARKS.md and the smoke test read one shape.
 */
export interface Figure {
  /** The suite that measured it, e.g. `overhead`. */
  suite: string;
  /** What was measured, e.g. `describeInstances n=10 gateway p50`. */
  name: string;
  value: number;
  /** `ms`, `req/s`, `MB`, `%`, `x` (a ratio), `count`, … */
  unit: string;
}

/** A goal of an issue, read as a ratio or a bound over figures of one run. */
export interface GoalResult {
  goal: string;
  /** The measured value the goal is about (a ratio for the overhead goals). */
  measured: number;
  /** `≤ 1.5` or `≥ 70` in `unit`. */
  bound: string;
  unit: string;
  pass: boolean;
}

export interface SuiteResult {
  suite: string;
  /** `ok`; `missing` when its module is not in the tree yet; `failed` with the error. */
  status: 'ok' | 'missing' | 'failed';
  /** How it was measured, in a sentence or two. */
  method: string;
  durationMs: number;
  /** 1-minute load average when the suite started (other work on the machine slows it). */
  loadAverage?: number;
  figures: Figure[];
  goals: GoalResult[];
  error?: string;
}

export function figure(suite: string, name: string, value: number, unit: string): Figure {
  return { suite, name, value: Math.round(value * 1000) / 1000, unit };
}

/**
 * Runs a suite when its file is run alone (`tsx bench/suites/<name>.bench.ts [--smoke]`): prints its
 * figures and exits 0, or prints the error and exits 1.
 */
export function runWhenMain(
  file: string,
  run: (options: { smoke: boolean }) => Promise<{ figures: Figure[] }>,
): void {
  if (!process.argv[1]?.endsWith(file)) return;
  run({ smoke: process.argv.includes('--smoke') }).then(
    (r) => {
      console.table(r.figures.map(({ name, value, unit }) => ({ name, value, unit })));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
