/**
 * The most calls in one HTTP batch. The gateway refuses a larger batch (its default `maxBatchSize`),
 * and the client's batch link never sends one, so the two always agree.
 * https://trpc.io/docs/client/links/httpBatchLink#limiting-batch-size
 */
export const defaultMaxBatchSize = 50;
