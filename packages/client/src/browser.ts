/**
 * @aws-trpc/client/browser: the client without the resources, for bundles that must not pull the AWS
 * SDK in (dashboards). Only types come from the SDK through the router; nothing of it runs here.
 */

export type { AppRouter } from '@aws-trpc/api';
export { type CreateClientOptions, createClient, type GatewayClient } from './create-client';
export type { AwsErrorClassification, AwsErrorCode, AwsErrorData } from './errors';
export { type AwsError, awsErrorOf, classifyError, isAwsError } from './errors';
export type * from './events';
export { idempotencyLink, idempotencyLinks, type RetryOptions } from './idempotency';
export { type GatewayLinkOptions, gatewayLinks, type HeadersOption, regionRoutingLink } from './links';
