import { transformer } from '@aws-trpc/shared';
import { initTRPC } from '@trpc/server';
import type { GatewayContext } from './context';
import { formatGatewayError } from './errors';
import type { ProcedureMeta } from './meta';

/** The one tRPC instance of the gateway. Transformer and error formatter are set here. */
export const t = initTRPC
  .context<GatewayContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    errorFormatter: formatGatewayError,
    // Stacks never leave the gateway, whatever NODE_ENV says; they go to the logs.
    isDev: false,
    // SSE heartbeats keep proxies from closing quiet streams; a client that hears nothing for longer
    // reconnects and resumes with its lastEventId. https://trpc.io/docs/client/links/httpSubscriptionLink
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  });
