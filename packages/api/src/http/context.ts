import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import type { GatewayContext } from '../core/context';
import type { GatewayDeps } from '../core/deps';
import { isKnownRegion } from '../core/regions';
import { bearerToken } from '../security/authenticator';

/**
 * The HTTP layer's one job towards the core: turn a request into a GatewayContext. Plain calls carry
 * `Authorization: Bearer` and `x-aws-region`; SSE cannot set headers from a browser, so subscriptions
 * carry `token` and `region` in tRPC's connectionParams instead. A token in the URL is accepted only
 * there (an SSE GET): URLs end up in proxy and access logs.
 */
export function createContextFactory(deps: GatewayDeps) {
  return ({ req, info }: CreateHTTPContextOptions): GatewayContext => {
    const params = info.connectionParams ?? {};
    for (const key of ['token', 'region'] as const) {
      if (params[key] !== undefined && typeof params[key] !== 'string') {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `connectionParams.${key} must be a string` });
      }
    }
    const sse = info.type === 'subscription' && req.method === 'GET';
    if (params.token && !sse) {
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message:
          'a token in the URL (connectionParams) is accepted only for subscriptions over SSE; send Authorization: Bearer <token>',
      });
    }
    const token = bearerToken(req.headers.authorization) || params.token || undefined;
    const regionHeader = req.headers['x-aws-region'];
    const region =
      (Array.isArray(regionHeader) ? regionHeader[0] : regionHeader) ||
      params.region ||
      deps.aws.defaultRegion;
    if (!isKnownRegion(region)) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `x-aws-region: '${region}' is not an AWS region name known to the installed AWS SDK (for example us-east-1)`,
      });
    }
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    return { region, token, requestId, deps };
  };
}
