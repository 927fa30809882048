import { parseArgs } from 'node:util';
import {
  ConfigError,
  configFromEnv,
  parseInteger,
  parseRedisUrl,
  parseRegion,
  parseUrl,
  type ServeConfig,
} from '../core/config';
import type { SharedStoreOptions } from '../core/redis';
import { type SecurityOptions, securityOptionsFromEnv } from '../security/security';
import { usageError } from './usage';

const serveHelp = `Usage: aws-trpc serve [options]

Options:
  --port <n>          port to listen on (env AWS_TRPC_PORT, default 4000; 0 picks a free port)
  --host <addr>       address to bind (env AWS_TRPC_HOST, default 127.0.0.1)
  --region <name>     default region (env AWS_REGION, then AWS_DEFAULT_REGION, default us-east-1)
  --endpoint <url>    send EC2 and ELB calls to this URL (otherwise the SDK reads AWS_ENDPOINT_URL*)
  --max-attempts <n>  SDK attempts per call (otherwise the SDK reads AWS_MAX_ATTEMPTS, default 3)
  --auth-file <path>  tokens and their permissions (env AWS_TRPC_AUTH_FILE); without it callers are anonymous
  --audit-file <path> append audit records (mutations) as JSON lines (env AWS_TRPC_AUDIT_FILE)
  --insecure-no-auth  allow a non-loopback --host without an auth file
  --events-queue-url <url>
                      the push source: the SQS queue of EC2 state-change events that
                      'aws-trpc events setup' prints (env AWS_TRPC_EVENTS_QUEUE_URL); without it the
                      streams poll DescribeInstances
  --reconcile-interval <seconds>
                      with the push source, how often the streams still read every instance, for lost
                      events (env AWS_TRPC_RECONCILE_INTERVAL_SECONDS, default 300)
  --redis-url <url>   replicas: share the event logs, the upstream reader's lease and the limits in
                      this Redis (redis:// or rediss://, auth in the URL; env AWS_TRPC_REDIS_URL)
  --replica-id <name> this replica's name in leases and audit records (env AWS_TRPC_REPLICA_ID,
                      default <hostname>:<pid>)
  --lease-ttl <seconds>
                      replicas: how long the reader's lease outlives its holder; another replica takes
                      over within it (env AWS_TRPC_LEASE_TTL_SECONDS, default 10)
  --poll-interval <seconds>
                      how often the streams read DescribeInstances at rest, polling alone
                      (env AWS_TRPC_POLL_INTERVAL_SECONDS, default 30; 1 s while a followed instance moves)
  --stream-retention <n>
                      events kept per log in Redis (env AWS_TRPC_STREAM_RETENTION, default 10000)
  --check-auth-file <path>  validate the auth file, print what each token may do, and exit
  -h, --help          show this help

tRPC is served at http://<host>:<port>/trpc; /healthz, /readyz and /metrics beside it.
SIGTERM shuts down gracefully. All settings: docs/configuration.md.
`;

interface ServeCommand extends ServeConfig {
  security: SecurityOptions;
  insecureNoAuth: boolean;
  events?: { queueUrl: string };
  streams?: { reconcileIntervalMs?: number; slowIntervalMs?: number };
  redis?: SharedStoreOptions;
}

function parseServeArgs(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): ServeCommand | 'help' | { check: string } {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      'max-attempts': { type: 'string' },
      'auth-file': { type: 'string' },
      'audit-file': { type: 'string' },
      'insecure-no-auth': { type: 'boolean' },
      'events-queue-url': { type: 'string' },
      'reconcile-interval': { type: 'string' },
      'redis-url': { type: 'string' },
      'replica-id': { type: 'string' },
      'stream-retention': { type: 'string' },
      'lease-ttl': { type: 'string' },
      'poll-interval': { type: 'string' },
      'check-auth-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values['check-auth-file'] !== undefined) return { check: values['check-auth-file'] };
  const config = configFromEnv(env);
  if (values.port !== undefined) config.port = parseInteger(values.port, '--port', 0, 65535);
  if (values.host !== undefined) {
    if (!values.host.trim()) throw new ConfigError('--host: must not be empty');
    config.host = values.host;
  }
  if (values.region !== undefined) config.region = parseRegion(values.region, '--region');
  if (values.endpoint !== undefined) config.endpoint = parseUrl(values.endpoint, '--endpoint');
  if (values['max-attempts'] !== undefined) {
    config.maxAttempts = parseInteger(values['max-attempts'], '--max-attempts', 1, 20);
  }
  const security = securityOptionsFromEnv(env);
  if (values['auth-file'] !== undefined) security.authFile = values['auth-file'];
  if (values['audit-file'] !== undefined) security.auditFile = values['audit-file'];
  const queueFlag = values['events-queue-url'] ?? env.AWS_TRPC_EVENTS_QUEUE_URL;
  const queueSource =
    values['events-queue-url'] !== undefined ? '--events-queue-url' : 'AWS_TRPC_EVENTS_QUEUE_URL';
  const reconcileFlag = values['reconcile-interval'] ?? env.AWS_TRPC_RECONCILE_INTERVAL_SECONDS;
  const reconcileSource =
    values['reconcile-interval'] !== undefined
      ? '--reconcile-interval'
      : 'AWS_TRPC_RECONCILE_INTERVAL_SECONDS';
  const redisUrl = values['redis-url'] ?? env.AWS_TRPC_REDIS_URL;
  const replicaId = values['replica-id'] ?? env.AWS_TRPC_REPLICA_ID;
  const retention = values['stream-retention'] ?? env.AWS_TRPC_STREAM_RETENTION;
  const retentionSource =
    values['stream-retention'] !== undefined ? '--stream-retention' : 'AWS_TRPC_STREAM_RETENTION';
  if (replicaId !== undefined && !/^[\w.:-]{1,64}$/.test(replicaId)) {
    throw new ConfigError(`--replica-id: '${replicaId}' must be 1-64 letters, digits, '.', ':', '-' or '_'`);
  }
  const leaseTtl = values['lease-ttl'] ?? env.AWS_TRPC_LEASE_TTL_SECONDS;
  const leaseSource = values['lease-ttl'] !== undefined ? '--lease-ttl' : 'AWS_TRPC_LEASE_TTL_SECONDS';
  const pollInterval = values['poll-interval'] ?? env.AWS_TRPC_POLL_INTERVAL_SECONDS;
  const pollSource =
    values['poll-interval'] !== undefined ? '--poll-interval' : 'AWS_TRPC_POLL_INTERVAL_SECONDS';
  // The replica's name is in its audit records too, with or without Redis.
  if (replicaId) security.replicaId = replicaId;
  const redis: SharedStoreOptions | undefined = redisUrl
    ? {
        url: parseRedisUrl(
          redisUrl,
          values['redis-url'] !== undefined ? '--redis-url' : 'AWS_TRPC_REDIS_URL',
        ),
        ...(replicaId ? { replicaId } : {}),
        ...(retention ? { retention: parseInteger(retention, retentionSource, 100, 10_000_000) } : {}),
        ...(leaseTtl ? { leaseTtlMs: 1_000 * parseInteger(leaseTtl, leaseSource, 1, 600) } : {}),
      }
    : undefined;
  return {
    ...config,
    ...(redis ? { redis } : {}),
    security,
    insecureNoAuth: values['insecure-no-auth'] ?? false,
    ...(queueFlag ? { events: { queueUrl: parseUrl(queueFlag, queueSource) } } : {}),
    ...(reconcileFlag || pollInterval
      ? {
          streams: {
            ...(reconcileFlag
              ? { reconcileIntervalMs: 1_000 * parseInteger(reconcileFlag, reconcileSource, 10, 86_400) }
              : {}),
            ...(pollInterval
              ? { slowIntervalMs: 1_000 * parseInteger(pollInterval, pollSource, 1, 3_600) }
              : {}),
          },
        }
      : {}),
  };
}

/** Configuration errors of other concerns (auth file, bind safety) are usage errors too: exit 2. */
const usageErrorNames = new Set(['ConfigError', 'AuthFileError', 'BindSafetyError']);

/** `aws-trpc serve`: parses flags over the environment, starts the gateway, drains on SIGTERM/SIGINT. */
export async function serve(args: string[]): Promise<void> {
  let config: ServeCommand | 'help' | { check: string };
  try {
    config = parseServeArgs(args);
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error), serveHelp);
  }
  if (config === 'help') {
    process.stdout.write(serveHelp);
    return;
  }
  if ('check' in config) {
    const { runCheckAuthFile } = await import('./check-auth-file');
    process.exitCode = runCheckAuthFile(config.check);
    return;
  }
  // Loaded only now, so that --help and usage errors answer without loading the SDKs.
  const { startGateway } = await import('../gateway');
  let running: Awaited<ReturnType<typeof startGateway>>;
  try {
    running = await startGateway(config);
  } catch (error) {
    if (error instanceof Error && usageErrorNames.has(error.name)) usageError(error.message, serveHelp);
    throw error;
  }
  const upstream = config.endpoint ?? 'AWS (SDK endpoint resolution)';
  const push = config.events ? `, push source ${config.events.queueUrl}` : '';
  process.stdout.write(
    `aws-trpc listening on ${running.url} (region ${config.region}, upstream ${upstream}${push})\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`aws-trpc: ${signal}, draining in-flight calls\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`aws-trpc: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
