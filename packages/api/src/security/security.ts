import { defaultMaxListLength, type ValidationOptions } from '@aws-trpc/shared';
import { parseInteger } from '../core/config';
import type { Logger } from '../observability/logger';
import { defaultReplicaId } from '../observability/replica-id';
import { type AuditLog, createAuditLog } from './audit-log';
import type { AuthFile } from './auth-file';
import { loadAuthFile } from './auth-file';
import { type Authenticator, createAuthenticator } from './authenticator';
import { defaultHttpLimits, type HttpLimits } from './http-limits';
import { createInFlightBytes, type InFlightBytes } from './in-flight-bytes';
import { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter';
import { createSubscriptionLimiter, type SubscriptionLimiter } from './subscription-limiter';

export interface SecurityOptions {
  /** `--auth-file` / AWS_TRPC_AUTH_FILE. Without it (and without `auth`) every caller is `anonymous`. */
  authFile?: string;
  /** An auth file already parsed (embedding, tests). */
  auth?: AuthFile;
  /** `--audit-file` / AWS_TRPC_AUDIT_FILE. Without it, audit records go to the structured log. */
  auditFile?: string;
  /** Per-token defaults; a token's own `limits` win. */
  rateLimit?: Partial<RateLimit>;
  maxSubscriptions?: number;
  /**
   * With Redis, how long a subscription slot counts without its replica's heartbeat: a replica that
   * dies frees its slots after this (AWS_TRPC_SUBSCRIPTION_SLOT_TTL_MS). Default 30 s.
   */
  subscriptionSlotTtlMs?: number;
  /** This replica's name in audit records (`--replica-id`). Default `<hostname>:<pid>`. */
  replicaId?: string;
  /** The gateway's deadline for one query or mutation, upstream retries included. */
  requestTimeoutMs?: number;
  http?: Partial<HttpLimits>;
  /** Items per list member of an input where AWS documents no limit (AWS_TRPC_MAX_LIST_LENGTH). Default 1,000. */
  maxListLength?: number;
  /** Monotonic milliseconds, for the rate limiter (tests pass a virtual clock). */
  now?: () => number;
}

/** The security half of GatewayDeps: who may call what, how often, and the audit trail. */
export interface Security {
  readonly authenticator: Authenticator;
  readonly rateLimiter: RateLimiter;
  readonly subscriptions: SubscriptionLimiter;
  readonly audit: AuditLog;
  /** This replica's name, in audit records. */
  readonly replicaId: string;
  /** The defaults a token's own limits override; the shared limiters (shared-limits.ts) take them too. */
  readonly limits: { rate: RateLimit; maxSubscriptions: number; subscriptionSlotTtlMs: number };
  readonly requestTimeoutMs: number;
  /** For the HTTP layer: tRPC adapter's `maxBodySize` and `maxBatchSize`. */
  readonly http: HttpLimits;
  /** What the input validator is given beyond the limits AWS documents. */
  readonly input: Required<ValidationOptions>;
  /** Request bytes in flight per token (`http.maxInFlightBytesPerToken`). */
  readonly inFlight: InFlightBytes;
}

export const defaultRateLimit: RateLimit = { requestsPerSecond: 50, burst: 100 };
export const defaultMaxSubscriptions = 20;
export const defaultRequestTimeoutMs = 60_000;
export const defaultSubscriptionSlotTtlMs = 30_000;

/** Reads the auth file (throws AuthFileError with a clear message) and builds the limits. */
export function createSecurity(options: SecurityOptions, logger: Logger): Security {
  const auth = options.auth ?? (options.authFile ? loadAuthFile(options.authFile) : undefined);
  const limits = {
    rate: { ...defaultRateLimit, ...options.rateLimit },
    maxSubscriptions: options.maxSubscriptions ?? defaultMaxSubscriptions,
    subscriptionSlotTtlMs: options.subscriptionSlotTtlMs ?? defaultSubscriptionSlotTtlMs,
  };
  return {
    authenticator: createAuthenticator(auth),
    rateLimiter: createRateLimiter(limits.rate, options.now),
    subscriptions: createSubscriptionLimiter(limits.maxSubscriptions),
    // In the log, the token's name travels as `principal`: the logger censors every `token` field.
    audit: createAuditLog(options.auditFile, ({ token, ...record }) =>
      logger.info({ audit: { principal: token, ...record } }, 'audit'),
    ),
    replicaId: options.replicaId ?? defaultReplicaId(),
    limits,
    requestTimeoutMs: options.requestTimeoutMs ?? defaultRequestTimeoutMs,
    http: { ...defaultHttpLimits, ...options.http },
    input: { maxListLength: options.maxListLength ?? defaultMaxListLength },
    inFlight: createInFlightBytes(),
  };
}

/** The security options the environment gives; CLI flags override them. Bad numbers throw ConfigError. */
export function securityOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SecurityOptions {
  const int = (name: string, min: number, max: number) => {
    const value = env[name];
    return value ? parseInteger(value, name, min, max) : undefined;
  };
  const maxListLength = int('AWS_TRPC_MAX_LIST_LENGTH', 1, 1_000_000);
  const maxInFlightBytesPerToken = int('AWS_TRPC_MAX_IN_FLIGHT_BYTES', 1_024, 2 ** 40);
  const idleConnectionTimeoutMs = int('AWS_TRPC_IDLE_TIMEOUT_MS', 100, 600_000);
  // The per-token defaults (a token's own limits in the auth file win), e.g. for a gateway without one.
  const maxSubscriptions = int('AWS_TRPC_MAX_SUBSCRIPTIONS', 1, 1_000_000);
  const requestsPerSecond = int('AWS_TRPC_RATE_LIMIT', 1, 1_000_000);
  const burst = int('AWS_TRPC_RATE_BURST', 1, 1_000_000);
  const subscriptionSlotTtlMs = int('AWS_TRPC_SUBSCRIPTION_SLOT_TTL_MS', 1_000, 600_000);
  const http: Partial<HttpLimits> = {
    ...(maxInFlightBytesPerToken !== undefined ? { maxInFlightBytesPerToken } : {}),
    ...(idleConnectionTimeoutMs !== undefined ? { idleConnectionTimeoutMs } : {}),
  };
  return {
    ...(env.AWS_TRPC_AUTH_FILE ? { authFile: env.AWS_TRPC_AUTH_FILE } : {}),
    ...(env.AWS_TRPC_AUDIT_FILE ? { auditFile: env.AWS_TRPC_AUDIT_FILE } : {}),
    ...(maxListLength !== undefined ? { maxListLength } : {}),
    ...(maxSubscriptions !== undefined ? { maxSubscriptions } : {}),
    ...(requestsPerSecond !== undefined || burst !== undefined
      ? {
          rateLimit: {
            ...(requestsPerSecond !== undefined ? { requestsPerSecond } : {}),
            ...(burst !== undefined ? { burst } : {}),
          },
        }
      : {}),
    ...(subscriptionSlotTtlMs !== undefined ? { subscriptionSlotTtlMs } : {}),
    ...(Object.keys(http).length ? { http } : {}),
  };
}
