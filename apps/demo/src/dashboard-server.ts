import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DemoStack } from './stack';

export interface DashboardServerOptions {
  port?: number;
  host?: string;
  /** Hot reload over a WebSocket; off in tests, which never edit the sources. */
  hmr?: boolean;
}

export interface DashboardServer {
  /** e.g. http://127.0.0.1:5173/ */
  readonly url: string;
  close(): Promise<void>;
}

/** The dashboard's sources: index.html and the React app Vite serves from them. */
export const webRoot = fileURLToPath(new URL('../web', import.meta.url));

/**
 * One port for the page and its API: `/trpc/*` and `/healthz` go to the gateway's own request handler
 * (same origin, so the browser needs no CORS and its EventSource no headers), everything else to Vite
 * in middleware mode. Nothing is built ahead: `pnpm install` is the only step before `pnpm demo`.
 */
export async function startDashboardServer(
  stack: DemoStack,
  options: DashboardServerOptions = {},
): Promise<DashboardServer> {
  // Loaded only here: `--help` and the walkthrough never pay for Vite.
  const [{ createServer }, { default: react }] = await Promise.all([
    import('vite'),
    import('@vitejs/plugin-react'),
  ]);
  const gatewayHandler = stack.gateway.http.server.listeners('request')[0] as http.RequestListener;
  const server = http.createServer();
  // Every socket, the upgraded ones (Vite's HMR WebSocket) included, which closeAllConnections() misses.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const vite = await createServer({
    root: webRoot,
    // Pre-bundled dependencies stay beside the package's own node_modules, not inside web/.
    cacheDir: fileURLToPath(new URL('../node_modules/.vite', import.meta.url)),
    configFile: false,
    appType: 'spa',
    logLevel: 'warn',
    clearScreen: false,
    plugins: [react()],
    server: { middlewareMode: true, hmr: options.hmr === false ? false : { server } },
  });
  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/trpc/') || path === '/healthz') gatewayHandler(req, res);
    else vite.middlewares(req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    async close() {
      // An open tab holds SSE streams and the HMR WebSocket, and reconnects: stop accepting, then
      // end every connection, while Vite closes its watcher and WebSocket server beside it.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, vite.close()]);
    },
  };
}
