import type { AuthorizedPrincipal } from '../security/principal';
import type { GatewayDeps } from './deps';

/** What every procedure receives. Built per request by the HTTP layer (http/context.ts). */
export interface GatewayContext {
  /** The region for this call: the x-aws-region header, else the gateway's default region. */
  region: string;
  /** The raw bearer token, from the Authorization header or the SSE connection params. Never logged. */
  token: string | undefined;
  /** Who is calling. Set by the guard; `anonymous` when the gateway runs without an auth file. */
  principal?: AuthorizedPrincipal;
  requestId: string;
  deps: GatewayDeps;
}
