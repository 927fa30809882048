import { defaultMaxBatchSize } from '@aws-trpc/shared';

/**
 * Limits of the HTTP layer. The server passes them to tRPC's node adapter:
 * `createHTTPHandler({ maxBodySize: limits.maxBodyBytes, maxBatchSize: limits.maxBatchSize, ... })`.
 * tRPC answers PAYLOAD_TOO_LARGE (413) for a larger body and BAD_REQUEST for a larger batch.
 * https://trpc.io/docs/client/links/httpBatchLink#limiting-batch-size
 */
export interface HttpLimits {
  /**
   * The largest request body accepted. Default 2 MiB: a full batch (50 calls of 1,000 ids each) is
   * ~1.2 MB. Parsing JSON blocks the event loop (~10 ms per MB, more under GC), so a larger body is
   * refused from its Content-Length before a byte of it is read.
   */
  maxBodyBytes: number;
  /** The most calls in one batch. The client's `maxItems` must not be higher. */
  maxBatchSize: number;
  /**
   * Request bytes one token may have in flight at once (bodies being read or handled). A request that
   * would exceed it is refused with 429 before its body is read. Default 8 MiB.
   */
  maxInFlightBytesPerToken: number;
  /** A connection that has not sent a byte after this long is closed. Default 10 s. */
  idleConnectionTimeoutMs: number;
  /** Node's `headersTimeout`: all request headers within this long. Default 20 s. */
  headersTimeoutMs: number;
  /** Node's `requestTimeout`: the whole request (headers and body; not the response, so SSE stays open). Default 60 s. */
  requestReceiveTimeoutMs: number;
}

export const defaultHttpLimits: HttpLimits = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxBatchSize: defaultMaxBatchSize,
  maxInFlightBytesPerToken: 8 * 1024 * 1024,
  idleConnectionTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  requestReceiveTimeoutMs: 60_000,
};
