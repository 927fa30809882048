import { defaultMaxBatchSize } from '@aws-trpc/shared';

/**
 * Limits of the HTTP layer. The server passes them to tRPC's node adapter:
 * `createHTTPHandler({ maxBodySize: limits.maxBodyBytes, maxBatchSize: limits.maxBatchSize, ... })`.
 * tRPC answers PAYLOAD_TOO_LARGE (413) for a larger body and BAD_REQUEST for a larger batch.
 * https://trpc.io/docs/client/links/httpBatchLink#limiting-batch-size
 */
export interface HttpLimits {
  /** The largest request body accepted. Default 5 MiB: RunInstances' UserData alone may be 16 KB base64. */
  maxBodyBytes: number;
  /** The most calls in one batch. The client's `maxItems` must not be higher. */
  maxBatchSize: number;
}

export const defaultHttpLimits: HttpLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatchSize: defaultMaxBatchSize,
};
