import { invalidMaxResults, invalidPaginationToken } from './errors';

/** What paging needs of a record: its creation sequence number, which orders every listing. */
export interface Sequenced {
  readonly seq: number;
}

export interface PageRequest {
  MaxResults?: number | undefined;
  NextToken?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * EC2 paging (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#api-pagination):
 * MaxResults within the action's bounds, and an opaque NextToken. The token names the last record's
 * sequence number, so a deletion between pages neither repeats nor skips a record.
 */
export function paginate<T extends Sequenced>(
  matching: Iterable<T>,
  req: PageRequest,
  bounds: { min: number; max: number },
): Page<T> {
  const max = req.MaxResults;
  if (max !== undefined && (max < bounds.min || max > bounds.max))
    throw invalidMaxResults(max, bounds.min, bounds.max);
  const after = req.NextToken ? decodeToken(req.NextToken) : 0;
  const limit = max ?? Number.POSITIVE_INFINITY;
  const items: T[] = [];
  let more = false;
  for (const item of matching) {
    if (item.seq <= after) continue;
    if (items.length >= limit) {
      more = true;
      break;
    }
    items.push(item);
  }
  const last = items[items.length - 1];
  return { items, nextToken: more && last ? encodeToken(last.seq) : undefined };
}

const encodeToken = (seq: number) => Buffer.from(`ec2:${seq}`).toString('base64url');

function decodeToken(token: string): number {
  const m = /^ec2:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalidPaginationToken(token);
  return Number(m[1]);
}
