import type { AppRouter } from '@aws-trpc/api';
import { createTRPCClient, type TRPCClient, type TRPCLink } from '@trpc/client';
import { type GatewayLinkOptions, gatewayLinks } from './links';

export interface CreateClientOptions extends GatewayLinkOptions {
  /** Links that run before the gateway's own region routing and transport, e.g. `idempotencyLinks()`. */
  links?: TRPCLink<AppRouter>[];
}

export type GatewayClient = TRPCClient<AppRouter>;

/**
 * The typed tRPC client of the gateway: `client.ec2.describeInstances.query(input)` takes and returns
 * the SDK's own DescribeInstancesCommandInput/Output. Any call may pick a region:
 * `client.ec2.describeInstances.query(input, { context: { region: 'eu-west-1' } })`.
 */
export function createClient(options: CreateClientOptions): GatewayClient {
  return createTRPCClient<AppRouter>({ links: [...(options.links ?? []), ...gatewayLinks(options)] });
}
