import { TRPCError } from '@trpc/server';
import { t } from '../core/trpc';
import type { AuthorizedPrincipal } from '../security/principal';
import { authenticated, takeRate } from './call-guard';
import { guardDeps } from './guard-deps';

/**
 * The middleware of the gateway's own procedures (`gateway.*`), which call no AWS operation: any
 * authenticated caller may use them, under its rate limit. Operation procedures use callGuard.
 */
export const principalGuard = t.middleware(async ({ ctx, path, type, next }) => {
  const { security, observability } = guardDeps(ctx.deps);
  const { metrics, logger } = observability;
  const started = performance.now();
  const finish = (outcome: string) => {
    const seconds = (performance.now() - started) / 1000;
    metrics.request(path, type, outcome, seconds);
    logger.info({ requestId: ctx.requestId, procedure: path, kind: type, outcome }, 'call');
  };
  let principal: AuthorizedPrincipal;
  try {
    principal = authenticated(security, ctx.token);
    await takeRate(security, metrics, principal);
  } catch (e) {
    finish(e instanceof TRPCError ? e.code : 'INTERNAL_SERVER_ERROR');
    throw e;
  }
  const result = await next({ ctx: { principal } });
  finish(result.ok ? 'ok' : result.error.code);
  return result;
});
