import { parseArgs } from 'node:util';

export const walkthroughHelp = `Usage: npx -y pnpm@10 demo:walkthrough [-- --url <gateway tRPC URL>]

Follows the classic boto3 EC2 + ELB deck with @aws-trpc/client's resources, printing each step and
the live instance-state stream beside it. Without --url it starts its own emulator and gateway.
`;

/** The gateway to use, undefined for "start my own", or 'help'. Throws on a bad flag. */
export function parseWalkthroughArgs(argv: string[]): { url: string | undefined } | 'help' {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    strict: true,
    allowPositionals: false,
    options: { url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  if (values.url !== undefined && !/^https?:\/\/./.test(values.url))
    throw new Error(`--url: '${values.url}' is not an http(s) URL`);
  return { url: values.url };
}
