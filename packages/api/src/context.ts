import type { GatewayDeps } from './deps';

/** Who is calling. Set by the authentication middleware; `anonymous` when the gateway runs without auth. */
export interface Principal {
  name: string;
}

/** What every procedure receives. Built per request by the HTTP layer (see server.ts). */
export interface GatewayContext {
  /** The region for this call: the x-aws-region header, else the gateway's default region. */
  region: string;
  /** The raw bearer token, from the Authorization header or the SSE connection params. Never logged. */
  token: string | undefined;
  principal?: Principal;
  requestId: string;
  deps: GatewayDeps;
}
