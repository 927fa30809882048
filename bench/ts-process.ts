import { fileURLToPath } from 'node:url';

/** How a bench process runs a TypeScript file: tsx, plus the hook that lends bench/ its dependencies. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export function tsExecArgv(): string[] {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by `pnpm bench --cpu-prof`, which is no turbo task.
  const profileDir = process.env.AWS_TRPC_BENCH_CPU_PROF;
  return [
    '--import',
    import.meta.resolve('tsx'),
    '--import',
    import.meta.resolve('./register-resolve-hook.mjs'),
    // The AWS SDK warns about Node 20 on every start; the warning is noise in a results table.
    '--no-warnings',
    // `pnpm bench --cpu-prof dir`: every bench process writes a V8 CPU profile there.
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ];
}

export function benchFile(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}
