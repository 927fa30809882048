import type { AppRouter } from '@aws-trpc/api';
// The browser entry: createClient and links without the resources, so the AWS SDK stays out of the bundle.
import { createClient } from '@aws-trpc/client/browser';
import { getUntypedClient, type TRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * The gateway is served from the page's own origin (`/trpc`). A token comes from `?token=` and travels
 * as a bearer header, and in SSE connection params.
 */
export function createDashboardClient(token: string | undefined): TRPCClient<AppRouter> {
  const client = createClient({ url: `${window.location.origin}/trpc`, ...(token ? { token } : {}) });
  // The TanStack Query integration wants tRPC's own client type; at run time it is the same proxy.
  return client as unknown as TRPCClient<AppRouter>;
}

/** Subscribes by path: the stream and waiter procedures are typed by their events (events.ts), not by the router. */
export function subscribe(
  client: TRPCClient<AppRouter>,
  path: string,
  input: unknown,
  handlers: {
    onData(data: unknown): void;
    onError(error: unknown): void;
    onComplete?(): void;
    /** The SSE connection: `connecting` with an error while the gateway cannot be reached. */
    onConnectionStateChange?(state: { state: 'idle' | 'connecting' | 'pending'; error: unknown }): void;
  },
): { unsubscribe(): void } {
  return getUntypedClient(client).subscription(path, input, {
    onData: (value) => handlers.onData(unwrapTracked(value)),
    onError: handlers.onError,
    onComplete: () => handlers.onComplete?.(),
    onConnectionStateChange: (state) => handlers.onConnectionStateChange?.(state),
  });
}

/** `tracked(id, data)` events arrive as `{ id, data }`. https://trpc.io/docs/server/subscriptions#tracked */
function unwrapTracked(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'id' in value && 'data' in value && !('type' in value))
    return (value as { data: unknown }).data;
  return value;
}
