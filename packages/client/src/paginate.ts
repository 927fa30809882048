import { type Catalog, findOperation, type PaginatorEntry, type ServiceName } from '@aws-trpc/shared';
import type { GatewayClient } from './create-client';
import type { Ec2Input, Ec2Output, Ec2Procedure, ElbInput, ElbOutput, ElbProcedure } from './service-types';

/** A query procedure of the client, e.g. `client.ec2.describeInstances`. */
export interface QueryProcedure<I, O> {
  query(input: I, options?: { signal?: AbortSignal }): Promise<O>;
}

export interface PaginateOptions {
  /** Sent as the operation's page-size member (EC2: MaxResults, 5–1000). */
  pageSize?: number;
  /** Stops after this many items; the last page is cut to fit. */
  maxItems?: number;
  signal?: AbortSignal;
}

/** Both an async iterable of pages and, through `items()`, of the items in them. */
export interface Paginated<TPage, TItem> extends AsyncIterable<TPage> {
  pages(): AsyncGenerator<TPage, void, undefined>;
  items(): AsyncGenerator<TItem, void, undefined>;
}

/** A token-walk is bounded: no AWS list needs more pages than this. */
const maxPages = 100_000;

/**
 * Walks a paginated operation the way the SDK's `paginateX` does, from the catalog's paginator entry
 * (input token, output token, page-size member, items member). The same token twice ends the walk:
 * some AWS APIs echo the last token instead of omitting it.
 */
export function paginate<I extends object, O extends object, TItem = unknown>(
  procedure: QueryProcedure<I, O>,
  input: I,
  paginator: PaginatorEntry,
  options: PaginateOptions = {},
): Paginated<O, TItem> {
  const { pageSize, maxItems, signal } = options;
  if (maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 0)) {
    throw new RangeError(`maxItems must be a non-negative integer, got ${maxItems}`);
  }
  const itemsOf = (page: O): TItem[] => {
    if (!paginator.items)
      throw new Error('this operation has no single items member; iterate pages() instead');
    const items = (page as Record<string, unknown>)[paginator.items];
    return Array.isArray(items) ? (items as TItem[]) : [];
  };

  async function* pages(): AsyncGenerator<O, void, undefined> {
    let token: unknown;
    let yielded = 0;
    const seen = new Set<unknown>();
    for (let n = 0; n < maxPages; n++) {
      if (maxItems !== undefined && paginator.items && yielded >= maxItems) return;
      signal?.throwIfAborted();
      const request: Record<string, unknown> = { ...(input as Record<string, unknown>) };
      if (pageSize !== undefined && paginator.pageSize) request[paginator.pageSize] = pageSize;
      if (token !== undefined) request[paginator.inputToken] = token;
      let page = await procedure.query(request as I, signal ? { signal } : undefined);
      if (maxItems !== undefined && paginator.items) {
        const items = itemsOf(page);
        if (yielded + items.length > maxItems)
          page = { ...page, [paginator.items]: items.slice(0, maxItems - yielded) };
        yielded += Math.min(items.length, maxItems - yielded);
      }
      yield page;
      token = (page as Record<string, unknown>)[paginator.outputToken];
      if (token === undefined || token === null || token === '' || seen.has(token)) return;
      seen.add(token);
    }
  }

  return {
    pages,
    async *items() {
      for await (const page of pages()) yield* itemsOf(page);
    },
    [Symbol.asyncIterator]: () => pages(),
  };
}

type Entry<S extends ServiceName, P extends string> = Extract<
  Catalog[S]['operations'][number],
  { procedure: P }
>;
type ItemsKey<S extends ServiceName, P extends string> =
  Entry<S, P> extends { paginator: { items: infer K } } ? K : never;
type ItemOf<O, K> = K extends keyof O
  ? NonNullable<O[K]> extends readonly (infer T)[]
    ? T
    : unknown
  : unknown;

/** The procedures of a service that the catalog knows a paginator for. */
export type PaginatedProcedure<S extends ServiceName> = Extract<
  Catalog[S]['operations'][number],
  { paginator: PaginatorEntry }
>['procedure'];

type In<S extends ServiceName, P extends string> = S extends 'ec2'
  ? Ec2Input<P & Ec2Procedure>
  : ElbInput<P & ElbProcedure>;
type Out<S extends ServiceName, P extends string> = S extends 'ec2'
  ? Ec2Output<P & Ec2Procedure>
  : ElbOutput<P & ElbProcedure>;

/**
 * `paginate` by name, with the paginator from the catalog and the types from the SDK:
 * `paginateOperation(client, 'ec2', 'describeInstances', { Filters }, { pageSize: 50 }).items()` yields
 * `Reservation`s.
 */
export function paginateOperation<S extends ServiceName, P extends PaginatedProcedure<S>>(
  client: GatewayClient,
  service: S,
  procedure: P,
  input: In<S, P>,
  options: PaginateOptions = {},
): Paginated<Out<S, P>, ItemOf<Out<S, P>, ItemsKey<S, P>>> {
  const paginator = findOperation(service, procedure)?.paginator;
  if (!paginator) throw new Error(`${service}.${procedure} has no paginator in the catalog`);
  const proc = (client[service] as unknown as Record<string, QueryProcedure<In<S, P>, Out<S, P>>>)[
    procedure
  ]!;
  return paginate(proc, input as In<S, P> & object, paginator, options) as Paginated<
    Out<S, P>,
    ItemOf<Out<S, P>, ItemsKey<S, P>>
  >;
}
