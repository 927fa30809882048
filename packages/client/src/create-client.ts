import type { AppRouter } from '@aws-trpc/api';
import { createTRPCClient, type TRPCLink } from '@trpc/client';
import { idempotencyLinks, type RetryOptions } from './idempotency';
import { type GatewayLinkOptions, gatewayLinks } from './links';
import type { GatewayServices } from './service-types';

export interface CreateClientOptions extends GatewayLinkOptions {
  /** Links that run before the client's own idempotency, retry, region routing and transport links. */
  links?: TRPCLink<AppRouter>[];
  /**
   * Retries of calls whose answer was lost (queries, and mutations with a ClientToken, which the client
   * fills once so every attempt carries the same one). `false`: no retries, no generated token.
   */
  retry?: RetryOptions | false;
}

/**
 * What `TRPCClient<AppRouter>` gives, mapped lazily per procedure (see service-types.ts): a consumer
 * pays type-checking only for the operations it calls.
 */
export type GatewayClient = GatewayServices;

/**
 * The typed tRPC client of the gateway: `client.ec2.describeInstances.query(input)` takes and returns
 * the SDK's own DescribeInstancesCommandInput/Output. Any call may pick a region:
 * `client.ec2.describeInstances.query(input, { context: { region: 'eu-west-1' } })`.
 * Idempotency is on by default: a retried RunInstances never launches twice.
 */
export function createClient(options: CreateClientOptions): GatewayClient {
  const retry = options.retry === false ? [] : idempotencyLinks<AppRouter>(options.retry);
  const client = createTRPCClient<AppRouter>({
    links: [...(options.links ?? []), ...retry, ...gatewayLinks(options)],
  });
  // The one cast: the runtime proxy is exactly what GatewayServices describes.
  return client as unknown as GatewayClient;
}
