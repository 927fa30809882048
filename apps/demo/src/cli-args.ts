import { parseArgs } from 'node:util';
import type { Upstream } from './stack';

export const demoHelp = `Usage: pnpm demo [-- options]

Starts a local EC2 + Classic ELB emulator, the aws-trpc gateway and the live dashboard.

Options:
  --port <n>      dashboard port (default 5173; 0 picks a free one)
  --host <addr>   address to bind (default 127.0.0.1)
  -h, --help      show this help

Environment:
  AWS_TRPC_UPSTREAM=aws   use real AWS instead of the emulator: the SDK's credential chain
                          (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...) and AWS_REGION. Prefer a read-only role.
  AWS_TRPC_AUTH_FILE=<f>  accept only the bearer tokens of this auth file (see SECURITY.md); open
                          the dashboard with ?token=<token>. Buttons the token may not use are hidden.
`;

export interface DemoArgs {
  port: number;
  host: string;
  upstream: Upstream;
}

/** Thrown for a bad flag or value; the CLI prints it with the help and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseDemoArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): DemoArgs | 'help' {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      strict: true,
      allowPositionals: false,
      options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const port = values.port === undefined ? 5173 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65535)
    throw new UsageError(`--port: '${values.port}' is not a port number (0-65535)`);
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) throw new UsageError('--host must not be empty');
  const asked = env.AWS_TRPC_UPSTREAM || 'emulator';
  if (asked !== 'aws' && asked !== 'emulator')
    throw new UsageError(`AWS_TRPC_UPSTREAM: '${asked}' is neither 'aws' nor 'emulator'`);
  return { port, host, upstream: asked };
}
