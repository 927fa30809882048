/** A describe-by-id answer that did not hold the resource (AWS normally answers a NotFound error instead). */
export class ResourceNotFoundError extends Error {
  constructor(kind: string, id: string) {
    super(`${kind} ${id} was not found`);
    this.name = 'ResourceNotFoundError';
  }
}

export function firstOrThrow<T>(items: readonly T[] | undefined, kind: string, id: string): T {
  const item = items?.[0];
  if (item === undefined) throw new ResourceNotFoundError(kind, id);
  return item;
}
