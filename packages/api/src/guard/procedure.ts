import { t } from '../core/trpc';
import { callGuard } from './call-guard';

/**
 * The base of every gateway procedure. Middleware runs in this order: authorize, rate limit, audit
 * (mutations only), metrics and logs (guard/call-guard.ts). Every procedure must declare its meta
 * `{ service, operation, kind }`: it is what authorization reads.
 */
export const gatewayProcedure = t.procedure.use(callGuard);
