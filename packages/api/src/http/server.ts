import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { GatewayDeps } from '../core/deps';
import { guardDeps } from '../guard/guard-deps';
import { type AppRouter, subscriptionProcedures } from '../router';
import { bearerToken } from '../security/authenticator';
import { streamsOf } from '../source/registry';
import { createContextFactory } from './context';
import { metricsHandler } from './metrics-handler';
import { createReadinessProbe, readyzHandler } from './readiness';
import { retryAfterResponseMeta } from './retry-after';
import { createSubscriptionResponder } from './sse/subscription-responder';

/** Where the tRPC endpoint is served; `/healthz`, `/readyz` and `/metrics` sit beside it. */
export const trpcBasePath = '/trpc';

/** What tRPC serves: GET (queries, SSE subscriptions) and POST (batches, mutations, large queries). */
const trpcMethods = 'GET, POST';

/** A tRPC-shaped error body for answers the HTTP layer gives itself (405, 429). */
function errorBody(message: string, code: string, httpStatus: number): string {
  return JSON.stringify({ error: { message, code: -32600, data: { code, httpStatus } } });
}

export interface GatewayServer {
  readonly server: http.Server;
  /** Resolves with the bound origin, e.g. `http://127.0.0.1:4000`. */
  listen(port: number, host: string): Promise<string>;
  /**
   * Graceful: stop accepting, end SSE streams, let in-flight calls finish, then close what is left
   * after `graceMs`.
   */
  close(graceMs?: number): Promise<void>;
}

export interface GatewayServerOptions {
  /**
   * Who writes subscriptions' SSE streams. `gateway` (default): sse/subscription-responder.ts, one
   * encode and one timer shared by all connections. `trpc`: tRPC's own SSE producer, the same wire
   * format at several times the CPU and memory per subscriber; kept as a fallback and for comparison.
   */
  sse?: 'gateway' | 'trpc';
}

export function createGatewayServer(
  router: AppRouter,
  deps: GatewayDeps,
  options: GatewayServerOptions = {},
): GatewayServer {
  const { security, observability } = guardDeps(deps);
  const createContext = createContextFactory(deps);
  const handler = createHTTPHandler({
    router,
    basePath: `${trpcBasePath}/`,
    createContext,
    // Queries may be sent as POST: thousands of InstanceIds do not fit in a URL.
    allowMethodOverride: true,
    maxBodySize: security.http.maxBodyBytes,
    maxBatchSize: security.http.maxBatchSize,
    // Rate-limited calls answer with Retry-After (RFC 9110 §10.2.3).
    responseMeta: retryAfterResponseMeta,
  });
  // Subscriptions (SSE) are written by our responder, in tRPC's wire format; see sse/subscription-responder.ts.
  const subscriptions = createSubscriptionResponder({
    procedures: subscriptionProcedures,
    createContext,
    scheduler: streamsOf(deps).scheduler,
  });
  const metrics = metricsHandler(observability.metrics);
  const readyz = readyzHandler(
    createReadinessProbe(deps.aws, deps.shared ? { redis: deps.shared.redis } : {}),
  );
  const streams = new Set<http.ServerResponse>();
  let closing = false;
  const limits = security.http;
  const scheduler = streamsOf(deps).scheduler;

  /**
   * Counts the request's body against its token's in-flight budget until the response ends; false
   * when it does not fit, after answering 429 without reading the body. Unknown and missing tokens
   * share one budget. A body without Content-Length counts as the largest body allowed.
   */
  function admitBody(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method !== 'POST') return true;
    const declared = Number(req.headers['content-length']);
    const known =
      req.headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0;
    if (known && declared > limits.maxBodyBytes) {
      // tRPC would read up to the limit first; the declared length already says no.
      refuse(
        req,
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `request body of ${declared} bytes exceeds the limit of ${limits.maxBodyBytes} bytes`,
      );
      return false;
    }
    const bytes = known ? declared : limits.maxBodyBytes;
    const principal = security.authenticator.authenticate(bearerToken(req.headers.authorization));
    const key = principal?.name ?? '(unauthenticated)';
    const release = security.inFlight.reserve(key, bytes, limits.maxInFlightBytesPerToken);
    if (release) {
      res.once('close', release);
      return true;
    }
    observability.metrics.throttled('in-flight-bytes');
    refuse(
      req,
      res,
      429,
      'TOO_MANY_REQUESTS',
      `token '${key}' already has requests in flight; this ${bytes}-byte request would exceed its budget of ${limits.maxInFlightBytesPerToken} in-flight request bytes; retry when they have answered`,
      { 'retry-after': '1' },
    );
    return false;
  }

  /** Answers without reading the body, and closes the connection so the unread body goes with it. */
  function refuse(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    // Stop reading: megabytes of a refused body would otherwise still be read and thrown away.
    req.socket.pause();
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
    res.end(errorBody(message, code, status));
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(closing ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: closing ? 'shutting-down' : 'ok' }));
      return;
    }
    if (path === '/metrics' && req.method === 'GET') {
      void metrics(req, res);
      return;
    }
    if (path === '/readyz' && req.method === 'GET') {
      void readyz(req, res);
      return;
    }
    if (!path?.startsWith(`${trpcBasePath}/`)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${path}; tRPC is served under ${trpcBasePath}/` }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      // Before authentication: which methods exist is no secret. tRPC would answer some with a 500.
      res.writeHead(405, { 'content-type': 'application/json', allow: trpcMethods });
      res.end(
        errorBody(
          `method ${req.method} is not allowed on ${trpcBasePath}/; use ${trpcMethods}`,
          'METHOD_NOT_SUPPORTED',
          405,
        ),
      );
      return;
    }
    if (!admitBody(req, res)) return;
    const procedurePath = path.slice(trpcBasePath.length + 1);
    const subscription = options.sse === 'trpc' ? undefined : subscriptions.procedureFor(req, procedurePath);
    if (subscription || req.headers.accept?.includes('text/event-stream')) {
      streams.add(res);
      res.on('close', () => streams.delete(res));
    }
    if (subscription) {
      subscriptions.respond(req, res, procedurePath, subscription).catch((error: unknown) => {
        observability.logger.error({ err: error, procedure: procedurePath }, 'subscription stream failed');
        res.destroy();
      });
      return;
    }
    handler(req, res);
  });

  // Slowloris and silent sockets: Node bounds the time to receive a request (not the response, so SSE
  // streams stay open), and a connection that sends no byte at all is closed after the idle timeout.
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestReceiveTimeoutMs;
  server.on('connection', (socket) => {
    const cancel = scheduler.schedule(() => socket.destroy(), limits.idleConnectionTimeoutMs);
    socket.once('data', cancel);
    socket.once('close', cancel);
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const { address, port: bound } = server.address() as AddressInfo;
          const shown = address.includes(':') ? `[${address}]` : address;
          resolve(`http://${shown}:${bound}`);
        });
      }),
    close(graceMs = 10_000) {
      closing = true;
      return new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const res of streams) res.end();
        server.closeIdleConnections();
      });
    },
  };
}
