/**
 * `aws-trpc-dev`: the gateway's own CLI (`aws-trpc`), with one more flag for development:
 * `serve --emulator` starts the emulator in this process and points the gateway at it. The production
 * CLI has no such flag, so a gateway in front of AWS never carries the emulator.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { setUpEventsQueue } from '@aws-trpc/api';
import { runCli } from '@aws-trpc/api/cli';
import { emulatorCredentials, startEmulator } from '@aws-trpc/emulator';

// The AWS SDK's notice that Node.js 20 leaves its support in 2026: the README supports Node.js 20.19+
// and says what changes then; nothing for a developer to do about it on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const devHelp = `Development flags of 'serve' (aws-trpc-dev only):
  --emulator             start the emulator in this process and send EC2 and ELB calls to it
                         (with the emulator's credentials; env AWS_TRPC_EMULATOR=1)
  --emulator-port <n>    the emulator's port (default: a free one)
  --no-push              with --emulator: poll instead of consuming the emulator's state-change
                         events (by default an events queue is set up, as 'aws-trpc events setup' does)

`;

/** Removes `flag` from `args`; true when it was there. */
function takeFlag(args: string[], flag: string): boolean {
  const i = args.indexOf(flag);
  if (i !== -1) args.splice(i, 1);
  return i !== -1;
}

/** Removes `flag <value>` from `args` and returns the value; exits 2 when the value is missing. */
function takeValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) {
    process.stderr.write(`aws-trpc-dev: ${flag} needs a value\n`);
    process.exit(2);
  }
  args.splice(i, 2);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const args = argv.filter((a) => a !== '--');
  if (args[0] !== 'serve') return runCli(args);
  if (args.includes('--help') || args.includes('-h')) process.stdout.write(devHelp);
  const emulatorFlag = takeFlag(args, '--emulator');
  const noPush = takeFlag(args, '--no-push');
  const portFlag = takeValue(args, '--emulator-port');
  const wanted = emulatorFlag || process.env.AWS_TRPC_EMULATOR === '1';
  if (!wanted || args.includes('--help') || args.includes('-h')) return runCli(args);
  if (args.includes('--endpoint')) {
    process.stderr.write('aws-trpc-dev: --emulator and --endpoint both name the upstream; give one\n');
    process.exit(2);
  }
  const port = portFlag === undefined ? 0 : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`aws-trpc-dev: --emulator-port: '${portFlag}' is not a port number\n`);
    process.exit(2);
  }
  const emulator = await startEmulator({ port });
  // The emulator's credentials, whatever the environment holds: real ones are never sent to it.
  process.env.AWS_ACCESS_KEY_ID = emulatorCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = emulatorCredentials.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.stdout.write(`aws-trpc-dev: emulator listening on ${emulator.url}\n`);
  const push = [];
  if (!noPush && !args.includes('--events-queue-url')) {
    const region = regionOf(args);
    const aws = { region, endpoint: emulator.url, credentials: { ...emulatorCredentials }, maxAttempts: 1 };
    const sqs = new SQSClient(aws);
    const eventBridge = new EventBridgeClient(aws);
    const queue = await setUpEventsQueue({ sqs, eventBridge });
    sqs.destroy();
    eventBridge.destroy();
    push.push('--events-queue-url', queue.queueUrl);
  }
  await runCli(['serve', '--endpoint', emulator.url, ...push, ...args.slice(1)]);
}

/** The region `serve` will use: --region, else the environment's, else us-east-1 (as the CLI reads it). */
function regionOf(args: string[]): string {
  const i = args.indexOf('--region');
  return (
    (i !== -1 ? args[i + 1] : undefined) ??
    (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1')
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`aws-trpc-dev: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
