import { parseArgs } from 'node:util';
import type { Upstream } from './stack';

export const demoHelp = `Usage: npx -y pnpm@10 demo [-- options]

Starts a local EC2 + Classic ELB emulator, the aws-trpc gateway and the live dashboard.

Options:
  --port <n>            dashboard port (default 5173; 0 picks a free one)
  --host <addr>         address to bind (default 127.0.0.1)
  --gateway-port <n>    the gateway's own port, on 127.0.0.1 (default: a free one; the dashboard
                        also serves it at /trpc)
  --emulator-port <n>   the emulator's port, on 127.0.0.1 (default: a free one)
  -h, --help            show this help

Ctrl-C stops everything; a second Ctrl-C exits at once.

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
  /** Pinned ports of the gateway and the emulator; unset: free ones. */
  ports: { gateway?: number; emulator?: number };
}

/** A port number (0-65535) given as `flag`'s value; undefined when the flag is absent. */
function portOf(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`${flag}: '${value}' is not a port number (0-65535)`);
  return port;
}

/** Thrown for a bad flag or value; the CLI prints it with the help and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseDemoArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): DemoArgs | 'help' {
  let values: {
    port?: string;
    host?: string;
    'gateway-port'?: string;
    'emulator-port'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'gateway-port': { type: 'string' },
        'emulator-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const port = portOf('--port', values.port) ?? 5173;
  const gateway = portOf('--gateway-port', values['gateway-port']);
  const emulator = portOf('--emulator-port', values['emulator-port']);
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) throw new UsageError('--host must not be empty');
  const asked = env.AWS_TRPC_UPSTREAM || 'emulator';
  if (asked !== 'aws' && asked !== 'emulator')
    throw new UsageError(`AWS_TRPC_UPSTREAM: '${asked}' is neither 'aws' nor 'emulator'`);
  if (emulator !== undefined && asked === 'aws')
    throw new UsageError('--emulator-port: there is no emulator with AWS_TRPC_UPSTREAM=aws');
  const ports = {
    ...(gateway !== undefined ? { gateway } : {}),
    ...(emulator !== undefined ? { emulator } : {}),
  };
  return { port, host, upstream: asked, ports };
}
