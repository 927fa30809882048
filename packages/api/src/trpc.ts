import { initTRPC } from '@trpc/server';
import type { GatewayContext } from './context';
import type { ProcedureMeta } from './meta';

/** The one tRPC instance of the gateway. Transformer and error formatter are set here. */
export const t = initTRPC.context<GatewayContext>().meta<ProcedureMeta>().create({});
