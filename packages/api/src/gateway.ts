import { createAwsClients } from './core/aws-clients';
import { defaultRegion, type GatewayConfig, type ServeConfig } from './core/config';
import type { GatewayDeps } from './core/deps';
import { connectSharedStore, type SharedStoreOptions } from './core/redis';
import { guardDeps } from './guard/guard-deps';
import {
  createGatewayServer,
  type GatewayServer,
  type GatewayServerOptions,
  trpcBasePath,
} from './http/server';
import { createObservability } from './observability/observability';
import { type AppRouter, appRouter } from './router';
import { checkBindSafety } from './security/bind-safety';
import { createSecurity, type SecurityOptions } from './security/security';
import { withSharedLimits } from './security/shared-limits';
import { queueRegion } from './source/events-queue';
import { createStreamRegistry, type StreamRegistryOptions } from './source/registry';

export interface GatewayOptions extends Partial<GatewayConfig> {
  /** Poll intervals and buffer of the instance-state streams; `scheduler: virtualScheduler(clock)` in tests. */
  streams?: Omit<StreamRegistryOptions, 'push' | 'log' | 'onState'>;
  /**
   * The push source: the SQS queue that an EventBridge rule fills with EC2 state-change events
   * (`aws-trpc events setup` prints it). Its region's streams then hear changes within seconds and
   * only reconcile by polling. Without it they poll.
   */
  events?: { queueUrl: string };
  /**
   * Replicas: Redis holds one event log per (region, credentials), the lease that decides which
   * replica reads AWS, and the limits, so any number of gateways behave as one. Without it, in process.
   */
  redis?: SharedStoreOptions;
  /** Who writes the subscriptions' SSE streams; see GatewayServerOptions. Default `gateway`. */
  sse?: GatewayServerOptions['sse'];
}

export interface Gateway {
  readonly router: AppRouter;
  readonly deps: GatewayDeps;
  /** The HTTP layer over the router; not listening until `listen`. */
  readonly http: GatewayServer;
  /** Starts listening; resolves with the tRPC URL to give to `createClient({ url })`. */
  listen(port?: number, host?: string): Promise<{ url: string; origin: string }>;
  close(graceMs?: number): Promise<void>;
}

function withDefaults(options: GatewayOptions): GatewayConfig {
  return {
    region: options.region ?? defaultRegion(),
    connectionTimeoutMs: options.connectionTimeoutMs ?? 5_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
}

/**
 * One gateway: its SDK clients and HTTP server. Several can live in one process (tests); the router
 * is shared and stateless, everything per-gateway travels in `deps` through the context.
 * `deps` lets a caller replace or add long-lived pieces (other concerns add their fields to GatewayDeps).
 */
export function createGateway(options: GatewayOptions = {}, deps: Partial<GatewayDeps> = {}): Gateway {
  const config = withDefaults(options);
  const fullDeps: GatewayDeps = { aws: createAwsClients(config), ...deps } as GatewayDeps;
  if (options.redis && !fullDeps.shared) {
    const { logger } = guardDeps(fullDeps).observability;
    fullDeps.shared = connectSharedStore(options.redis, (message, fields) =>
      logger.warn(fields ?? {}, message),
    );
  }
  if (fullDeps.shared) {
    // Limits counted across replicas, whichever security the caller built; its own limits stay underneath.
    const { security, observability } = guardDeps(fullDeps);
    fullDeps.observability = observability;
    fullDeps.security = withSharedLimits(security, fullDeps.shared, observability);
  }
  if (!fullDeps.streams) {
    const { metrics, logger } = guardDeps(fullDeps).observability;
    const aws = fullDeps.aws;
    const queueUrl = options.events?.queueUrl;
    // The queue serves the region its URL names (or, for an emulator's URL, the default region).
    const queueRegionName = queueUrl ? (queueRegion(queueUrl) ?? config.region) : undefined;
    fullDeps.streams = createStreamRegistry({
      ...options.streams,
      onState: (region, state) => metrics.pollerState(region, state),
      log: (message, fields) => logger.warn(fields ?? {}, message),
      ...(fullDeps.shared ? { shared: fullDeps.shared } : {}),
      ...(queueUrl
        ? {
            push: {
              queueUrl: (region) => (region === queueRegionName ? queueUrl : undefined),
              sqs: (region) => aws.sqs(region),
            },
          }
        : {}),
    });
  }
  const httpServer = createGatewayServer(appRouter, fullDeps, options.sse ? { sse: options.sse } : {});
  return {
    router: appRouter,
    deps: fullDeps,
    http: httpServer,
    async listen(port = 0, host = '127.0.0.1') {
      const origin = await httpServer.listen(port, host);
      return { origin, url: `${origin}${trpcBasePath}` };
    },
    async close(graceMs) {
      await httpServer.close(graceMs);
      // Gives this replica's subscription slots back before the Redis connection closes.
      await fullDeps.security?.subscriptions.close();
      fullDeps.streams?.close();
      await fullDeps.shared?.close();
      fullDeps.aws.destroy();
    },
  };
}

export interface RunningGateway {
  /** The tRPC URL, for `createClient({ url })`. */
  readonly url: string;
  /** `http://host:port`, where `/healthz` answers. */
  readonly origin: string;
  readonly gateway: Gateway;
  close(): Promise<void>;
}

export interface StartGatewayOptions
  extends Partial<ServeConfig>,
    Pick<GatewayOptions, 'streams' | 'sse' | 'events' | 'redis'> {
  /** Auth file, audit file, limits (security/security.ts). */
  security?: SecurityOptions;
  /** Listen beyond loopback without an auth file (logged loudly). */
  insecureNoAuth?: boolean;
}

/**
 * createGateway + listen, as the CLI runs it: with security and observability and the bind-safety
 * check. Throws AuthFileError or BindSafetyError before anything listens.
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const observability = createObservability();
  const securityOptions = options.security ?? {};
  checkBindSafety({
    host: options.host ?? '127.0.0.1',
    authFile: securityOptions.authFile ?? (securityOptions.auth ? '(embedded)' : undefined),
    insecureNoAuth: options.insecureNoAuth ?? false,
    warn: (message) => observability.logger.warn(message),
  });
  const security = createSecurity(securityOptions, observability.logger);
  const gateway = createGateway(options, { security, observability });
  const { url, origin } = await gateway.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    origin,
    gateway,
    close: () => gateway.close(options.shutdownGraceMs),
  };
}
