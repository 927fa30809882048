import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { GatewayDeps } from '../core/deps';
import { guardDeps } from '../guard/guard-deps';
import { type AppRouter, subscriptionProcedures } from '../router';
import { streamsOf } from '../source/registry';
import { createContextFactory } from './context';
import { metricsHandler } from './metrics-handler';
import { createReadinessProbe, readyzHandler } from './readiness';
import { retryAfterResponseMeta } from './retry-after';
import { createSubscriptionResponder } from './sse/subscription-responder';

/** Where the tRPC endpoint is served; `/healthz`, `/readyz` and `/metrics` sit beside it. */
export const trpcBasePath = '/trpc';

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
   * Who writes subscriptions' SSE streams. `gateway` (default): sse/subscriptionResponder.ts, one
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
  // Subscriptions (SSE) are written by our responder, in tRPC's wire format; see sse/subscriptionResponder.ts.
  const subscriptions = createSubscriptionResponder({
    procedures: subscriptionProcedures,
    createContext,
    scheduler: streamsOf(deps).scheduler,
  });
  const metrics = metricsHandler(observability.metrics);
  const readyz = readyzHandler(createReadinessProbe(deps.aws));
  const streams = new Set<http.ServerResponse>();
  let closing = false;

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
