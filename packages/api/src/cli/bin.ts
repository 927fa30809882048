import { runCli } from './main';

runCli(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`aws-trpc: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
