import { demoHelp, parseDemoArgs, UsageError } from './cli-args';

// The AWS SDK's notice that Node.js 20 leaves its support in 2026: the README supports Node.js 20.19+
// and says what changes then; a person watching the demo has nothing to do about it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Shutting down may take this long before the process exits anyway. */
const shutdownDeadlineMs = 1_500;

/** `pnpm demo`: emulator (or AWS) + gateway + dashboard in one process; Ctrl-C stops all three. */
async function main(): Promise<void> {
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n\n${demoHelp}`);
    process.exit(2);
  }
  if (args === 'help') {
    process.stdout.write(demoHelp);
    return;
  }
  // Loaded after parsing, so --help answers at once.
  const { startDemoStack } = await import('./stack');
  const { startDashboardServer } = await import('./dashboard-server');
  const stack = await startDemoStack({
    upstream: args.upstream,
    ports: args.ports,
    ...(process.env.AWS_TRPC_AUTH_FILE ? { auth: process.env.AWS_TRPC_AUTH_FILE } : {}),
  });
  const dashboard = await startDashboardServer(stack, { port: args.port, host: args.host }).catch(
    async (error) => {
      await stack.close();
      throw error;
    },
  );
  const upstream = stack.emulator
    ? `the embedded emulator at ${stack.emulator.url}`
    : `AWS, region ${stack.region}`;
  process.stdout.write(
    [
      '',
      `  aws-trpc demo: ${dashboard.url}`,
      '',
      `  gateway   ${stack.url}  (upstream: ${upstream})`,
      '',
      '  1. Launch two instances; watch pending turn running, live.',
      '  2. Create a load balancer (HTTP 80 → 80, two zones), register the instances, watch InService.',
      '  3. Stop, start, tag, filter, terminate; the event log shows every transition.',
      `  Scripted tour: npx -y pnpm@10 demo:walkthrough -- --url ${stack.url}`,
      '',
      '  Ctrl-C stops everything (a second Ctrl-C at once).',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: no more waiting. Dying of the signal itself (not exit 130) tells a parent
      // (pnpm, a shell) that it was interrupted, and pnpm then exits quietly too.
      process.stdout.write(`demo: ${signal} again, exiting now\n`);
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    stopping = true;
    process.stdout.write(`\ndemo: ${signal}, shutting down\n`);
    // Open tabs hold streams and reconnect; whatever is not closed by then is cut with the process.
    setTimeout(() => {
      process.stdout.write('demo: shutdown took too long, exiting\n');
      process.exit(0);
    }, shutdownDeadlineMs).unref();
    Promise.all([dashboard.close(), stack.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`demo: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
