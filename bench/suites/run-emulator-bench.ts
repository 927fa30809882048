import { runEmulatorBench } from './emulator.bench';

/** `npx tsx bench/run-emulator-bench.ts [--smoke]`: runs the emulator benchmark alone and prints a table. */
async function main() {
  const results = await runEmulatorBench({ smoke: process.argv.includes('--smoke') });
  console.table(
    results.map(({ name, n, iterations, median_ms, p99_ms, goal_median_ms }) => ({
      name,
      n,
      iterations,
      median_ms,
      p99_ms,
      goal_median_ms,
    })),
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
