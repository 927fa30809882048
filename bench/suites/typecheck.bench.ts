/**
 * Consumer type-check benchmark: the same 32 calls written against the packed @aws-trpc/client and
 * against @aws-sdk/* directly (bench/fixtures/typecheck), each checked by `tsc --noEmit --extendedDiagnostics`
 * in one run. Goal: the client costs at most 1.5× the direct SDK.
 *
 * Run: `tsx bench/typecheck.bench.ts [--smoke]` (prints JSON), or import runTypecheckBench.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPacked, packClient } from '@aws-trpc/testkit';

export interface TypecheckFigures {
  totalTimeS: number;
  checkTimeS: number;
  memoryMB: number;
  instantiations: number;
  types: number;
}

export interface TypecheckBenchResult {
  method: string;
  machine: { cpus: number; cpuModel: string | undefined; memoryGB: number; node: string };
  runs: number;
  client: TypecheckFigures;
  sdk: TypecheckFigures;
  /** client ÷ sdk for each figure; the goal is ≤ 1.5. */
  ratio: TypecheckFigures;
}

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'typecheck');

function parse(output: string): TypecheckFigures {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(output);
    if (!match?.[1]) throw new Error(`tsc --extendedDiagnostics printed no "${name}"`);
    return Number(match[1]);
  };
  return {
    totalTimeS: field('Total time'),
    checkTimeS: field('Check time'),
    memoryMB: Math.round(field('Memory used') / 1024),
    instantiations: field('Instantiations'),
    types: field('Types'),
  };
}

function check(dir: string, variant: 'client' | 'sdk'): TypecheckFigures {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const output = execFileSync(
    process.execPath,
    [tsc, '-p', join(dir, `tsconfig.${variant}.json`), '--noEmit', '--extendedDiagnostics'],
    { encoding: 'utf8' },
  );
  return parse(output);
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function medianFigures(runs: TypecheckFigures[]): TypecheckFigures {
  const pick = (key: keyof TypecheckFigures) => median(runs.map((r) => r[key]));
  return {
    totalTimeS: pick('totalTimeS'),
    checkTimeS: pick('checkTimeS'),
    memoryMB: pick('memoryMB'),
    instantiations: pick('instantiations'),
    types: pick('types'),
  };
}

/** `smoke`: one run of each (a quick proof that it works); otherwise the median of 5, alternating. */
export async function runTypecheckBench({ smoke = false } = {}): Promise<TypecheckBenchResult> {
  const packDir = mkdtempSync(join(tmpdir(), 'aws-trpc-bench-pack-'));
  const consumer = installPacked(packClient(packDir), fixtures);
  try {
    const runs = smoke ? 1 : 5;
    const client: TypecheckFigures[] = [];
    const sdk: TypecheckFigures[] = [];
    for (let i = 0; i < runs; i++) {
      sdk.push(check(consumer, 'sdk'));
      client.push(check(consumer, 'client'));
    }
    const c = medianFigures(client);
    const s = medianFigures(sdk);
    const ratio = (key: keyof TypecheckFigures) => Math.round((c[key] / s[key]) * 100) / 100;
    return {
      method: `tsc ${runs}× per variant, alternating, --noEmit --extendedDiagnostics, skipLibCheck, packed client installed outside the workspace; median`,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      runs,
      client: c,
      sdk: s,
      ratio: {
        totalTimeS: ratio('totalTimeS'),
        checkTimeS: ratio('checkTimeS'),
        memoryMB: ratio('memoryMB'),
        instantiations: ratio('instantiations'),
        types: ratio('types'),
      },
    };
  } finally {
    rmSync(packDir, { recursive: true, force: true });
    rmSync(consumer, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runTypecheckBench({ smoke: process.argv.includes('--smoke') }), null, 2));
}
