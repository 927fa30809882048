/**
 * Events the server yields with `tracked(id, data)` reach `onData` as `{ id, data }`; others as-is.
 * https://trpc.io/docs/server/subscriptions#tracked
 */
export function unwrapTracked(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'id' in value && 'data' in value && !('type' in value)) {
    return (value as { data: unknown }).data;
  }
  return value;
}
