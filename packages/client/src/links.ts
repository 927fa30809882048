import type { AppRouter } from '@aws-trpc/api';
// TODO(lead): the transformer moves to @aws-trpc/shared; until then it is the api's file, the only
// runtime import the client makes from the api.
import { transformer } from '@aws-trpc/api/transformer';
import type { OperationLink } from '@trpc/client';
import {
  type HTTPHeaders,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCLink,
} from '@trpc/client';

export type HeadersOption = HTTPHeaders | (() => HTTPHeaders | Promise<HTTPHeaders>);

export interface GatewayLinkOptions {
  /** The gateway's tRPC URL, e.g. `http://127.0.0.1:4000/trpc`. */
  url: string;
  /** The region of every call that names none; unset: the gateway's default region. */
  region?: string;
  /** Sent as `Authorization: Bearer <token>`, and in the SSE connection params. */
  token?: string;
  headers?: HeadersOption;
  fetch?: typeof fetch;
  /** For runtimes without a global EventSource (Node.js < 22): e.g. the `eventsource` package. */
  EventSource?: typeof EventSource;
}

/**
 * Routes each operation to a terminating link made for its region, so one batch never mixes
 * regions: the gateway reads the region once per HTTP request (`x-aws-region`).
 * A call picks its region with `{ context: { region } }`.
 */
export function regionRoutingLink(
  defaultRegion: string | undefined,
  linkFor: (region: string | undefined) => TRPCLink<AppRouter>,
): TRPCLink<AppRouter> {
  return (runtime) => {
    const byRegion = new Map<string, OperationLink<AppRouter>>();
    return ({ op, next }) => {
      const asked = op.context.region;
      const region = typeof asked === 'string' && asked ? asked : defaultRegion;
      const key = region ?? '';
      let link = byRegion.get(key);
      if (!link) {
        link = linkFor(region)(runtime);
        byRegion.set(key, link);
      }
      return link({ op, next });
    };
  };
}

/** Queries and mutations: batched over HTTP; subscriptions: SSE. Both for one region. */
function regionLink(options: GatewayLinkOptions, region: string | undefined): TRPCLink<AppRouter> {
  const headers = async (): Promise<HTTPHeaders> => {
    const given = typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {});
    return {
      ...given,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(region ? { 'x-aws-region': region } : {}),
    };
  };
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink({
      url: options.url,
      transformer,
      // EventSource cannot send headers from a browser, so the gateway also reads these.
      connectionParams: () => ({
        ...(options.token ? { token: options.token } : {}),
        ...(region ? { region } : {}),
      }),
      ...(options.EventSource ? { EventSource: options.EventSource } : {}),
    }),
    false: httpBatchLink({
      url: options.url,
      transformer,
      headers,
      // Queries as POST: a describe with thousands of ids does not fit in a URL.
      methodOverride: 'POST',
      // The gateway's default maxBatchSize (security/httpLimits.ts); larger batches are split.
      maxItems: 50,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  });
}

/** The client's link chain: region routing in front of a per-region split (HTTP batch | SSE). */
export function gatewayLinks(options: GatewayLinkOptions): TRPCLink<AppRouter>[] {
  return [regionRoutingLink(options.region, (region) => regionLink(options, region))];
}
