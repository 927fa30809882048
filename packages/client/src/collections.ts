import type { Filter } from '@aws-sdk/client-ec2';

/** One page read from a Describe* call. */
export interface Page<TItem> {
  items: TItem[];
  nextToken?: string | undefined;
}

/** The parameters a collection narrows with `filter()`, shared by EC2's Describe* calls. */
export interface CollectionFilter {
  Filters?: Filter[];
  /** Resource ids (InstanceIds, VolumeIds, ... for the collection's own kind). */
  ids?: string[];
}

interface CollectionState {
  filter: CollectionFilter;
  limit: number | undefined;
  pageSize: number | undefined;
}

export interface DescribePageRequest {
  filter: CollectionFilter;
  pageSize: number | undefined;
  nextToken: string | undefined;
  signal: AbortSignal | undefined;
}

/** Pages that the collection reads at most; a gateway that keeps returning tokens cannot loop forever. */
const MAX_PAGES = 100_000;

/**
 * A lazy, immutable query over one Describe* call, like boto3's collections:
 * `filter()` (in each subclass), `limit()` and `pageSize()` return a new collection; iterating sends the calls.
 */
export class Collection<TResource> implements AsyncIterable<TResource> {
  protected state: CollectionState = { filter: {}, limit: undefined, pageSize: undefined };

  constructor(protected readonly describePage: (request: DescribePageRequest) => Promise<Page<TResource>>) {}

  protected derive(patch: Partial<CollectionState>): this {
    const next = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(next, this);
    next.state = { ...this.state, ...patch };
    return next;
  }

  /** Narrows the collection; Filters and ids add to the ones already set. Subclasses name the ids. */
  protected narrow(filter: CollectionFilter): this {
    const current = this.state.filter;
    const Filters = [...(current.Filters ?? []), ...(filter.Filters ?? [])];
    const ids = current.ids || filter.ids ? [...(current.ids ?? []), ...(filter.ids ?? [])] : undefined;
    return this.derive({ filter: { ...(Filters.length ? { Filters } : {}), ...(ids ? { ids } : {}) } });
  }

  /** At most `count` resources in all. */
  limit(count: number): this {
    return this.derive({ limit: count });
  }

  /** Resources asked for per call (the Describe call's MaxResults). */
  pageSize(count: number): this {
    return this.derive({ pageSize: count });
  }

  /** The resources, one page per array. */
  async *pages(opts: { signal?: AbortSignal } = {}): AsyncGenerator<TResource[]> {
    const { filter, limit, pageSize } = this.state;
    let remaining = limit ?? Number.POSITIVE_INFINITY;
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES && remaining > 0; page++) {
      const size =
        pageSize === undefined && limit === undefined ? undefined : Math.min(pageSize ?? 1000, remaining);
      const result = await this.describePage({ filter, pageSize: size, nextToken, signal: opts.signal });
      const items = result.items.slice(0, remaining);
      remaining -= items.length;
      if (items.length) yield items;
      if (!result.nextToken || result.nextToken === nextToken) return;
      nextToken = result.nextToken;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TResource> {
    for await (const page of this.pages()) yield* page;
  }

  /** Every resource of the collection, read into an array. */
  async all(opts: { signal?: AbortSignal } = {}): Promise<TResource[]> {
    const out: TResource[] = [];
    for await (const page of this.pages(opts)) out.push(...page);
    return out;
  }
}

/**
 * EC2's MaxResults bounds (5–1000 for most Describe calls). Below 5 EC2 answers InvalidParameterValue,
 * so a smaller page is asked as 5 and trimmed by the collection.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
export function ec2MaxResults(pageSize: number | undefined, max = 1000): number | undefined {
  return pageSize === undefined ? undefined : Math.max(5, Math.min(max, pageSize));
}
