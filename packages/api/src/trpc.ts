import { initTRPC } from '@trpc/server';
import type { GatewayContext } from './context';
import { formatGatewayError } from './errors';
import type { ProcedureMeta } from './meta';
import { transformer } from './transformer';

/** The one tRPC instance of the gateway. Transformer and error formatter are set here. */
export const t = initTRPC.context<GatewayContext>().meta<ProcedureMeta>().create({
  transformer,
  errorFormatter: formatGatewayError,
  // Stacks never leave the gateway, whatever NODE_ENV says; they go to the logs.
  isDev: false,
});
