/**
 * Gateway configuration from the environment. Flags (cli.ts) override these values.
 *
 * The SDK reads its own variables itself and the gateway does not repeat them: AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING, AWS_MAX_ATTEMPTS, AWS_RETRY_MODE,
 * AWS_PROFILE and the credential chain (see docs/configuration.md).
 */

/** Static credentials, for emulators and tests; AWS itself uses the SDK's chain. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface GatewayConfig {
  /** The region of a call that names none. */
  region: string;
  /** One endpoint for both services (the emulator). Unset: the SDK resolves it, AWS_ENDPOINT_URL* included. */
  endpoint?: string;
  /** Unset: the SDK's default provider chain (env, profile, SSO, IMDS). */
  credentials?: StaticCredentials;
  /** Unset: the SDK reads AWS_MAX_ATTEMPTS (default 3). */
  maxAttempts?: number;
  /** TCP connect timeout towards AWS. */
  connectionTimeoutMs: number;
  /** How long a request to AWS may stay silent before it fails. */
  requestTimeoutMs: number;
}

export interface ServeConfig extends GatewayConfig {
  port: number;
  host: string;
  /** How long SIGTERM waits for in-flight calls before it closes the remaining connections. */
  shutdownGraceMs: number;
}

/** A configuration value that cannot be used; the CLI prints the message and exits with code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** AWS_REGION, then AWS_DEFAULT_REGION (the AWS CLI's name), then us-east-1. */
export function defaultRegion(env: Env = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

const regionPattern = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

export function parseRegion(value: string, source: string): string {
  if (!regionPattern.test(value)) {
    throw new ConfigError(`${source}: '${value}' is not an AWS region name (for example us-east-1)`);
  }
  return value;
}

export function isRegionName(value: string): boolean {
  return regionPattern.test(value);
}

export function parseInteger(value: string, source: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${source}: '${value}' is not an integer between ${min} and ${max}`);
  }
  return n;
}

export function parseUrl(value: string, source: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return value;
  } catch {
    throw new ConfigError(`${source}: '${value}' is not an http(s) URL`);
  }
}

/** The serve configuration from the environment alone. */
export function configFromEnv(env: Env = process.env): ServeConfig {
  const config: ServeConfig = {
    region: parseRegion(defaultRegion(env), env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION'),
    port: env.AWS_TRPC_PORT ? parseInteger(env.AWS_TRPC_PORT, 'AWS_TRPC_PORT', 0, 65535) : 4000,
    host: env.AWS_TRPC_HOST || '127.0.0.1',
    connectionTimeoutMs: env.AWS_TRPC_CONNECT_TIMEOUT_MS
      ? parseInteger(env.AWS_TRPC_CONNECT_TIMEOUT_MS, 'AWS_TRPC_CONNECT_TIMEOUT_MS', 1, 600_000)
      : 5_000,
    requestTimeoutMs: env.AWS_TRPC_REQUEST_TIMEOUT_MS
      ? parseInteger(env.AWS_TRPC_REQUEST_TIMEOUT_MS, 'AWS_TRPC_REQUEST_TIMEOUT_MS', 1, 3_600_000)
      : 30_000,
    shutdownGraceMs: env.AWS_TRPC_SHUTDOWN_GRACE_MS
      ? parseInteger(env.AWS_TRPC_SHUTDOWN_GRACE_MS, 'AWS_TRPC_SHUTDOWN_GRACE_MS', 0, 600_000)
      : 10_000,
  };
  return config;
}

/** A Redis URL for `--redis-url`: `redis://` or `rediss://`, with auth in the URL. */
export function parseRedisUrl(value: string, source: string): string {
  // The URL may carry Redis's password: messages never repeat it.
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source}: not a URL (redis://host:6379 or rediss://…)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`${source}: must start with redis:// or rediss://, not ${url.protocol}//`);
  }
  return value;
}
