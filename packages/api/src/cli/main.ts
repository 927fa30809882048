import { events } from './events';
import { serve } from './serve';
import { usageError } from './usage';

const programHelp = `Usage: aws-trpc <command> [options]

A typed tRPC gateway for AWS EC2 and Classic Elastic Load Balancing.

Commands:
  serve             start the HTTP gateway
  events            set up (or tear down) the push source: EventBridge rule → SQS queue
  token             mint a bearer token for the auth file
  check-auth-file   validate an auth file and print what each token may do

Run 'aws-trpc <command> --help' for the options of a command.
`;

/** Runs one `aws-trpc` command line (without the node and script arguments). */
export async function runCli(argv: string[]): Promise<void> {
  // `pnpm serve -- --port 4000` may hand the separator through.
  const [command, ...rest] = argv.filter((a) => a !== '--');
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === undefined) usageError('missing command', programHelp);
    process.stdout.write(programHelp);
    return;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'events') return events(rest);
  if (command === 'check-auth-file') {
    // Loaded on demand, like the gateway: it reads the SDK's region list.
    const { runCheckAuthFile } = await import('./check-auth-file');
    process.exitCode = runCheckAuthFile(rest[0]);
    return;
  }
  if (command === 'token') {
    const { runTokenCommand } = await import('./token');
    process.exitCode = runTokenCommand(rest);
    return;
  }
  usageError(`unknown command '${command}'`, programHelp);
}
