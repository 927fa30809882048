import { parseArgs } from 'node:util';
import { ConfigError, defaultRegion, parseRegion, parseUrl } from '../core/config';
import { usageError } from './usage';

const eventsHelp = `Usage: aws-trpc events <setup|teardown> [options]

The push source's AWS side: an SQS queue, a policy that lets EventBridge send to it from one rule, and
an EventBridge rule (source aws.ec2, detail-type "EC2 Instance State-change Notification") targeting
the queue. 'setup' creates them (running it again changes nothing) and prints the queue URL for
'aws-trpc serve --events-queue-url'; 'teardown' removes them. Credentials: the SDK's chain.

Options:
  --region <name>     the region of the queue and the rule (env AWS_REGION, then AWS_DEFAULT_REGION)
  --name <name>       the queue's and the rule's name (default aws-trpc-ec2-state)
  --endpoint <url>    send SQS and EventBridge calls to this URL (an emulator; otherwise the SDK's own)
  -h, --help          show this help

Costs: one ReceiveMessage long poll (20 s) at a time while someone subscribes, one DeleteMessageBatch
per batch of events, and EventBridge's delivery of each state change.
`;

interface EventsCommand {
  action: 'setup' | 'teardown';
  region: string;
  name: string;
  endpoint?: string;
}

function parseEventsArgs(args: string[], env: Record<string, string | undefined>): EventsCommand | 'help' {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      region: { type: 'string' },
      name: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const [action, ...extra] = positionals;
  if (action !== 'setup' && action !== 'teardown') {
    throw new ConfigError(action ? `unknown events action '${action}'` : 'missing action: setup or teardown');
  }
  if (extra.length > 0) throw new ConfigError(`unexpected argument '${extra[0]}'`);
  const name = values.name ?? 'aws-trpc-ec2-state';
  // SQS queue names: 1-80 of letters, digits, - and _ (EventBridge rule names accept these too).
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new ConfigError(`--name: '${name}' must be 1-64 letters, digits, '-' or '_'`);
  }
  const region =
    values.region !== undefined
      ? parseRegion(values.region, '--region')
      : parseRegion(defaultRegion(env), env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION');
  return {
    action,
    region,
    name,
    ...(values.endpoint !== undefined ? { endpoint: parseUrl(values.endpoint, '--endpoint') } : {}),
  };
}

/** `aws-trpc events setup|teardown`: progress on stderr, the queue URL (setup) on stdout. */
export async function events(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  let command: EventsCommand | 'help';
  try {
    command = parseEventsArgs(args, env);
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error), eventsHelp);
  }
  if (command === 'help') {
    process.stdout.write(eventsHelp);
    return;
  }
  // Loaded only now, so that --help and usage errors answer without loading the SDKs.
  const { createAwsClients } = await import('../core/aws-clients');
  const { setUpEventsQueue, tearDownEventsQueue } = await import('../source/events-queue');
  const aws = createAwsClients({
    region: command.region,
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
    ...(command.endpoint ? { endpoint: command.endpoint } : {}),
  });
  const clients = { sqs: aws.sqs(command.region), eventBridge: aws.eventBridge(command.region) };
  const progress = (step: string) => process.stderr.write(`aws-trpc events ${command.action}: ${step}\n`);
  try {
    if (command.action === 'setup') {
      const queue = await setUpEventsQueue(clients, command.name, progress);
      process.stderr.write(`aws-trpc events setup: done; serve with --events-queue-url ${queue.queueUrl}\n`);
      process.stdout.write(`${queue.queueUrl}\n`);
    } else {
      await tearDownEventsQueue(clients, command.name, progress);
      process.stderr.write('aws-trpc events teardown: done\n');
    }
  } finally {
    aws.destroy();
  }
}
