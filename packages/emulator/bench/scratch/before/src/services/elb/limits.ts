import type {
  DescribeAccountLimitsCommandInput,
  DescribeAccountLimitsCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { validationError } from './errors';

/** Classic ELB's default quotas: https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-limits.html */
export const accountLimits = {
  'classic-load-balancers': 20,
  'classic-listeners': 100,
  'classic-registered-instances': 1000,
} as const;

const describeAccountLimits: Handler<
  DescribeAccountLimitsCommandInput,
  Out<DescribeAccountLimitsCommandOutput>
> = (input) => {
  const all = Object.entries(accountLimits).map(([Name, max]) => ({ Name, Max: String(max) }));
  const start = input.Marker === undefined ? 0 : Number(input.Marker);
  if (!Number.isInteger(start) || start < 0 || start > all.length)
    throw validationError(`Invalid Marker: ${input.Marker}`);
  const size = input.PageSize ?? 400;
  if (!Number.isInteger(size) || size < 1 || size > 400)
    throw validationError('PageSize must be between 1 and 400');
  const end = start + size;
  return { Limits: all.slice(start, end), ...(end < all.length ? { NextMarker: String(end) } : {}) };
};

export const limitHandlers: HandlerMap = { DescribeAccountLimits: describeAccountLimits };
