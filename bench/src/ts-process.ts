import { fileURLToPath } from 'node:url';

/** The repository root: BENCHMARKS.md and the working directory of every bench process. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** How a bench process runs a TypeScript file: under tsx, from this package (which declares what it imports). */

export function tsExecArgv(): string[] {
  const profileDir = process.env.AWS_TRPC_BENCH_CPU_PROF;
  return [
    '--import',
    import.meta.resolve('tsx'),
    // The AWS SDK warns about Node 20 on every start; the warning is noise in a results table.
    '--no-warnings',
    // `pnpm bench --cpu-prof dir`: every bench process writes a V8 CPU profile there.
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ];
}

export function benchFile(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}
