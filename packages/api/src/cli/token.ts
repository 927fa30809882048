import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { parseAuthFile, type TokenEntry } from '../security/auth-file';
import { generateToken, hashToken } from '../security/token-hash';

export const tokenHelp = `Usage: aws-trpc token create --name <name> --allow <pattern> [options]

Mints a bearer token. The token is printed once and never stored: the auth file keeps only its SHA-256.

Options:
  --name <name>               who the token is for (letters, digits, . _ -)
  --allow <pattern>           an operation pattern; repeat for several. Examples: ec2:read, elb:write,
                              ec2:Describe*, elb:*, ec2:TerminateInstances, * (everything)
  --region <name>             a region the token may use; repeat for several (default: every region)
  --requests-per-second <n>   the token's rate limit
  --burst <n>                 requests allowed at once above that rate
  --max-subscriptions <n>     concurrent subscriptions and waiters
  --json                      print the entry as JSON instead of YAML
  -h, --help                  show this help

Add the printed entry under 'tokens:' in the file given to --auth-file (see SECURITY.md).
`;

export interface TokenCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag}: '${value}' is not a positive number`);
  return n;
}

/**
 * `aws-trpc token <subcommand> ...` (args after `token`). Returns the exit code: 0, or 2 for a usage
 * error, printed with the help.
 */
export function runTokenCommand(
  args: string[],
  io: TokenCommandIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) },
): number {
  try {
    const [sub, ...rest] = args;
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(tokenHelp);
      return 0;
    }
    if (sub !== 'create')
      throw new Error(sub ? `unknown subcommand '${sub}'` : 'missing subcommand (create)');
    const { values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        name: { type: 'string' },
        allow: { type: 'string', multiple: true },
        region: { type: 'string', multiple: true },
        'requests-per-second': { type: 'string' },
        burst: { type: 'string' },
        'max-subscriptions': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(tokenHelp);
      return 0;
    }
    if (!values.name) throw new Error('--name is required');
    if (!values.allow?.length) throw new Error('--allow is required (for example --allow ec2:read)');
    const rps = positiveNumber(values['requests-per-second'], '--requests-per-second');
    const burst = positiveNumber(values.burst, '--burst');
    const maxSubscriptions = positiveNumber(values['max-subscriptions'], '--max-subscriptions');
    const limits = {
      ...(rps ? { requestsPerSecond: rps } : {}),
      ...(burst ? { burst } : {}),
      ...(maxSubscriptions ? { maxSubscriptions } : {}),
    };
    const token = generateToken();
    const entry: TokenEntry = {
      name: values.name,
      sha256: hashToken(token),
      allow: values.allow,
      ...(values.region?.length ? { regions: values.region } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    };
    // The same validation the server applies when it loads the file: a bad pattern fails here, now.
    parseAuthFile({ tokens: [entry] }, 'token');
    const line = values.json ? JSON.stringify(entry) : toYaml([entry]).trimEnd();
    io.stdout(
      `Token for '${entry.name}' (shown only this once; store it in your secret manager):\n\n  ${token}\n\n` +
        `Add this entry under 'tokens:' in your auth file:\n\n${line}\n`,
    );
    return 0;
  } catch (e) {
    io.stderr(`aws-trpc token: ${(e as Error).message.replace(/^token: tokens\.0: /, '')}\n\n${tokenHelp}`);
    return 2;
  }
}
