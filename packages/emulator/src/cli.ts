import { parseArgs } from 'node:util';
import type { Delays } from './core/types';
import { type EmulatorOptions, startEmulator } from './emulator';

/** The default port: outside LocalStack's 4566 and moto's 5000, so all three can run side by side. */
export const defaultPort = 4599;

const usage = `aws-trpc-emulator: a local EC2 (2016-11-15) and Classic ELB (2012-06-01) endpoint, with
SQS and EventBridge for EC2's instance state-change events

Usage: aws-trpc-emulator [options]

  --port <n>                       port to listen on (default ${defaultPort}; 0 picks a free one)
  --host <addr>                    address to bind (default 127.0.0.1)
  --clock real|virtual             real time (default), or a virtual clock moved by
                                   POST /_emulator/clock/advance {"ms": 5000}
  --account-id <12 digits>         the account id in OwnerId and ARNs (default 123456789012)
  --delay-pending <ms>             pending -> running (default 5000)
  --delay-stopping <ms>            stopping -> stopped (default 5000)
  --delay-shutting-down <ms>       shutting-down -> terminated (default 5000)
  --delay-rebooting <ms>           how long a rebooting instance is unavailable (default 2000)
  --delay-terminated-visible <ms>  how long terminated instances stay listed (default 3600000)
  -h, --help                       show this help

Control API: GET /_emulator/coverage, /_emulator/requests, /_emulator/events, /_emulator/sqs;
POST /_emulator/clock/advance, /_emulator/delays, /_emulator/faults, /_emulator/events/faults,
/_emulator/events/release, /_emulator/reset; DELETE /_emulator/faults, /_emulator/events/faults.`;

const delayFlags: Record<string, keyof Delays> = {
  'delay-pending': 'pending',
  'delay-stopping': 'stopping',
  'delay-shutting-down': 'shuttingDown',
  'delay-rebooting': 'rebooting',
  'delay-terminated-visible': 'terminatedVisible',
};

export class CliUsageError extends Error {}

export type CliCommand = { help: true } | { help: false; options: EmulatorOptions & { port: number } };

/** Reads the command line; throws CliUsageError naming the bad flag or value. */
export function parseCli(argv: string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `pnpm emulator -- --port 5001` passes the `--` through; it separates pnpm's options, not ours.
      args: argv[0] === '--' ? argv.slice(1) : argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        clock: { type: 'string' },
        'account-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.keys(delayFlags).map((flag) => [flag, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const options: EmulatorOptions & { port: number } = { port: defaultPort };
  if (values.port !== undefined) options.port = integer('--port', values.port as string, 0, 65_535);
  if (values.host !== undefined) {
    if (!values.host) throw new CliUsageError('--host needs an address, for example 127.0.0.1');
    options.host = values.host as string;
  }
  if (values.clock !== undefined) {
    if (values.clock !== 'real' && values.clock !== 'virtual') {
      throw new CliUsageError(`--clock must be "real" or "virtual", got "${values.clock}"`);
    }
    options.clock = values.clock;
  }
  const accountId = values['account-id'];
  if (accountId !== undefined) {
    if (!/^\d{12}$/.test(accountId as string)) throw new CliUsageError('--account-id must be 12 digits');
    options.accountId = accountId as string;
  }
  const delays: Partial<Delays> = {};
  for (const [flag, key] of Object.entries(delayFlags)) {
    const raw = values[flag];
    if (raw !== undefined) delays[key] = integer(`--${flag}`, raw as string, 0, 2_147_483_647);
  }
  if (Object.keys(delays).length > 0) options.delays = delays;
  return { help: false, options };
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliUsageError(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Runs the emulator until SIGINT or SIGTERM. Usage errors exit with code 2. */
export async function runCli(argv: string[]): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCli(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(
      `aws-trpc-emulator: ${error.message}\nRun aws-trpc-emulator --help for the options.\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const emulator = await startEmulator(command.options);
  const clock = emulator.clock.kind;
  process.stdout.write(
    [
      `aws-trpc emulator listening on ${emulator.url} (EC2, Classic ELB, SQS, EventBridge; ${clock} clock)`,
      'Point the AWS SDK or CLI at it:',
      `  export AWS_ENDPOINT_URL=${emulator.url}`,
      '  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1',
      `Coverage: ${emulator.url}/_emulator/coverage`,
      '',
    ].join('\n'),
  );
  const stop = (signal: string) => {
    process.stdout.write(`${signal}: closing\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`aws-trpc-emulator: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
