import type { AppRouter } from '@aws-trpc/api';
import { defaultMaxBatchSize, transformer } from '@aws-trpc/shared';
import type { OperationLink } from '@trpc/client';
import {
  type HTTPHeaders,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCLink,
} from '@trpc/client';
import { EventSource as FetchEventSource, type FetchLike } from 'eventsource';

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
  /**
   * The SSE implementation. Default: the runtime's own (browsers, Node.js 22+), else the `eventsource`
   * package over `fetch` (Node.js 20), which also sends `headers` and `Authorization`.
   */
  EventSource?: typeof EventSource;
  /**
   * Batch the calls made in the same tick into one HTTP request (default true). tRPC's batch link
   * waits one timer tick (about 1–2 ms in Node.js) to gather them; `false` sends each call at once,
   * which a caller that makes one call at a time sees as lower latency.
   */
  batch?: boolean;
}

/**
 * Routes each operation to a terminating link made for its region, so one batch never mixes
 * regions: the gateway reads the region once per HTTP request (`x-aws-region`).
 * A call picks its region with `{ context: { region } }`; a subscription whose input names a `region`
 * (`ec2.onInstanceStateChange`) is routed by it, since the gateway authorizes the connection's region.
 */
export function regionRoutingLink(
  defaultRegion: string | undefined,
  linkFor: (region: string | undefined) => TRPCLink<AppRouter>,
): TRPCLink<AppRouter> {
  return (runtime) => {
    const byRegion = new Map<string, OperationLink<AppRouter>>();
    return ({ op, next }) => {
      const asked = op.context.region ?? (op.type === 'subscription' ? inputRegion(op.input) : undefined);
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

function inputRegion(input: unknown): unknown {
  return typeof input === 'object' && input !== null ? (input as { region?: unknown }).region : undefined;
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
  // EventSource cannot send headers from a browser, so the gateway also reads these.
  const connectionParams = () => ({
    ...(options.token ? { token: options.token } : {}),
    ...(region ? { region } : {}),
  });
  const NativeEventSource = options.EventSource ?? globalThis.EventSource;
  const http = { url: options.url, transformer, headers, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: NativeEventSource
      ? httpSubscriptionLink({
          url: options.url,
          transformer,
          connectionParams,
          EventSource: NativeEventSource,
        })
      : httpSubscriptionLink({
          url: options.url,
          transformer,
          connectionParams,
          EventSource: FetchEventSource,
          eventSourceOptions: { fetch: sseFetch(options.fetch ?? globalThis.fetch, headers) },
        }),
    false:
      options.batch === false
        ? httpLink({ ...http, methodOverride: 'POST' })
        : httpBatchLink({
            ...http,
            // Queries as POST: a describe with thousands of ids does not fit in a URL.
            methodOverride: 'POST',
            // The gateway's default maxBatchSize; larger batches are split.
            maxItems: defaultMaxBatchSize,
          }),
  });
}

/** The fetch of the `eventsource` package's SSE requests, with the client's headers added. */
function sseFetch(fetchImpl: typeof fetch, headers: () => Promise<HTTPHeaders>): FetchLike {
  return async (url, init) => {
    const extra = Object.entries(await headers()).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : String(value)]],
    );
    return fetchImpl(url, { ...init, headers: { ...init.headers, ...Object.fromEntries(extra) } });
  };
}

/** The client's link chain: region routing in front of a per-region split (HTTP batch | SSE). */
export function gatewayLinks(options: GatewayLinkOptions): TRPCLink<AppRouter>[] {
  return [regionRoutingLink(options.region, (region) => regionLink(options, region))];
}
