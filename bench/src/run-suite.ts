/**
 * One suite in its own process (forked by run.ts): `run-suite.ts <name> [--smoke]`. Sends back
 * `{ method, figures, goals }` over IPC; a thrown error exits with code 1 and its message on stderr.
 */
import { pathToFileURL } from 'node:url';
import { normalize } from './normalize';
import { suites } from './suites';
import { repoRoot } from './ts-process';

async function main() {
  const name = process.argv[2];
  const suite = suites.find((s) => s.name === name);
  if (!suite) throw new Error(`no suite named ${name}`);
  const module = (await import(pathToFileURL(`${repoRoot}${suite.module}`).href)) as Record<string, unknown>;
  const data = await suite.run(module, { smoke: process.argv.includes('--smoke') });
  const result = normalize(suite.name, data);
  if (suite.goals && data !== null && typeof data === 'object') {
    result.goals.push(...suite.goals(data as Record<string, unknown>));
  }
  await new Promise<void>((resolve, reject) =>
    process.send!(result, (error: Error | null) => (error ? reject(error) : resolve())),
  );
  // Suites may leave keep-alive sockets or timers behind; the process is done either way.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
