import { randomBytes } from 'node:crypto';

/**
 * Resource ids the way EC2 writes them: a prefix, a dash and 17 lowercase hex digits
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). Older 8-digit ids are
 * still accepted as well-formed on input.
 */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

const shapes = new Map<string, RegExp>();

/** Whether `id` has the shape of an id with this prefix (8 or 17 hex digits). */
export function isWellFormedId(prefix: string, id: string): boolean {
  let re = shapes.get(prefix);
  if (!re) {
    re = new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
    shapes.set(prefix, re);
  }
  return re.test(id);
}

/** The prefix of an id (`i` of `i-0123…`), which names its resource type. */
export function idPrefix(id: string): string {
  const dash = id.lastIndexOf('-');
  return dash < 0 ? '' : id.slice(0, dash);
}

/** A per-region counter: records carry it so that paging tokens survive deletions. */
export interface Sequence {
  next(): number;
}

export function sequence(): Sequence {
  let n = 0;
  return { next: () => ++n };
}
