/**
 * Every benchmark `pnpm bench` runs, one file each in bench/suites. Each runs in a process of its own,
 * so one suite's heap, JIT state and sockets do not colour the next one's figures.
 */
import type { GoalResult } from './figure';

export interface SuiteOptions {
  smoke: boolean;
}

export interface Suite {
  name: string;
  /** Repository-relative path of the module. */
  module: string;
  /** Calls the module's entry point; its result is normalized by normalize.ts. */
  run(module: Record<string, unknown>, options: SuiteOptions): Promise<unknown>;
  /** Goals the module's result implies but does not state as goals. */
  goals?(result: Record<string, unknown>): GoalResult[];
  /** A bound on the suite's process, so a hung suite fails instead of hanging the run. */
  timeoutMs: { smoke: number; full: number };
}

type Entry = (options: Record<string, unknown>) => Promise<unknown>;

function entry(module: Record<string, unknown>, name: string): Entry {
  const fn = module[name];
  if (typeof fn !== 'function') throw new Error(`the module exports no function ${name}`);
  return fn as Entry;
}

const minutes = (n: number) => n * 60_000;

export const suites: Suite[] = [
  {
    name: 'overhead',
    module: 'bench/suites/overhead.bench.ts',
    run: (m, { smoke }) => entry(m, 'runOverheadBench')({ smoke }),
    timeoutMs: { smoke: minutes(3), full: minutes(6) },
  },
  {
    name: 'batching',
    module: 'bench/suites/batching.bench.ts',
    run: (m, { smoke }) => entry(m, 'runBatchingBench')({ smoke }),
    timeoutMs: { smoke: minutes(2), full: minutes(3) },
  },
  {
    name: 'cold-start',
    module: 'bench/suites/cold-start.bench.ts',
    run: (m, { smoke }) => entry(m, 'runColdStartBench')({ smoke }),
    timeoutMs: { smoke: minutes(2), full: minutes(4) },
  },
  {
    name: 'emulator',
    module: 'bench/suites/emulator.bench.ts',
    run: (m, { smoke }) => entry(m, 'runEmulatorBench')({ smoke }),
    timeoutMs: { smoke: minutes(2), full: minutes(6) },
  },
  {
    name: 'fanout',
    module: 'bench/suites/fanout.bench.ts',
    run: (m, { smoke }) => entry(m, 'runFanoutBench')({ smoke }),
    timeoutMs: { smoke: minutes(2), full: minutes(5) },
  },
  {
    name: 'fanout-replicas',
    module: 'bench/suites/fanout-replicas.bench.ts',
    run: (m, { smoke }) => entry(m, 'runFanoutReplicasBench')({ smoke }),
    timeoutMs: { smoke: minutes(2), full: minutes(8) },
  },
  {
    name: 'liveness',
    module: 'bench/suites/liveness.bench.ts',
    run: (m, { smoke }) => entry(m, 'runLivenessBench')({ smoke }),
    timeoutMs: { smoke: minutes(2), full: minutes(6) },
  },
  {
    name: 'load',
    module: 'bench/suites/load.bench.ts',
    // Issue 6 asks for "several minutes".
    run: (m, { smoke }) => entry(m, 'runLoadBench')({ smoke, durationMs: smoke ? 2_000 : minutes(3) }),
    // Issue 6: "no unexpected error and no memory growth".
    goals: (result) => {
      const errors = Array.isArray(result.unexpectedErrors) ? result.unexpectedErrors.length : Number.NaN;
      return [
        {
          goal: 'unexpected errors under load',
          measured: errors,
          bound: '= 0',
          unit: '',
          pass: errors === 0,
        },
      ];
    },
    timeoutMs: { smoke: minutes(2), full: minutes(5) },
  },
  {
    name: 'typecheck',
    module: 'bench/suites/typecheck.bench.ts',
    run: (m, { smoke }) => entry(m, 'runTypecheckBench')({ smoke }),
    timeoutMs: { smoke: minutes(4), full: minutes(8) },
  },
];
