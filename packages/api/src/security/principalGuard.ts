import { TRPCError } from '@trpc/server';
import { t } from '../trpc';
import type { AuthorizedPrincipal } from './authenticator';
import { guardDeps } from './defaults';

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
  const principal = security.authenticator.authenticate(ctx.token);
  try {
    if (!principal) {
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: ctx.token ? 'unknown token' : 'a bearer token is required (Authorization: Bearer <token>)',
      });
    }
    try {
      security.rateLimiter.take(principal);
    } catch (e) {
      metrics.throttled('rate');
      throw e;
    }
  } catch (e) {
    finish(e instanceof TRPCError ? e.code : 'INTERNAL_SERVER_ERROR');
    throw e;
  }
  const result = await next({ ctx: { principal: principal satisfies AuthorizedPrincipal } });
  finish(result.ok ? 'ok' : result.error.code);
  return result;
});
