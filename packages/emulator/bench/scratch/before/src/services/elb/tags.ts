import type {
  AddTagsCommandInput,
  AddTagsCommandOutput,
  DescribeTagsCommandInput,
  DescribeTagsCommandOutput,
  RemoveTagsCommandInput,
  RemoveTagsCommandOutput,
  Tag,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { duplicateTagKeys, tooManyTags, validationError } from './errors';
import { findLoadBalancer, type LoadBalancer } from './state';

/**
 * Tag quota: the API reference still says 10, the Classic Load Balancer guide says 50 (and `aws:` keys do
 * not count). https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/add-remove-tags.html
 */
export const maxTags = 50;

/** Adds or overwrites tags, all or nothing. Also used by CreateLoadBalancer's Tags. */
export function applyTags(lb: LoadBalancer, tags: Tag[] | undefined): void {
  if (!tags || tags.length === 0) throw validationError('Tags must contain at least one tag');
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (!Key || Key.length > 128) throw validationError('Tag key must be between 1 and 128 characters long');
    if ((Value ?? '').length > 256) throw validationError('Tag value must be at most 256 characters long');
    if (seen.has(Key)) throw duplicateTagKeys(Key);
    seen.add(Key);
  }
  const keys = new Set([...lb.tags.keys(), ...seen]);
  const counted = [...keys].filter((k) => !k.startsWith('aws:')).length;
  if (counted > maxTags) throw tooManyTags(lb.name, maxTags);
  for (const { Key, Value } of tags) lb.tags.set(Key as string, Value ?? '');
}

/** AddTags and RemoveTags take exactly one load balancer name. */
function oneLoadBalancerName(names: string[] | undefined): string {
  const [name, ...more] = names ?? [];
  if (name === undefined || more.length)
    throw validationError('LoadBalancerNames must contain exactly one load balancer name');
  return name;
}

const addTags: Handler<AddTagsCommandInput, Out<AddTagsCommandOutput>> = (input, ctx) => {
  applyTags(findLoadBalancer(ctx, oneLoadBalancerName(input.LoadBalancerNames)), input.Tags);
  return {};
};

const removeTags: Handler<RemoveTagsCommandInput, Out<RemoveTagsCommandOutput>> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, oneLoadBalancerName(input.LoadBalancerNames));
  if (!input.Tags || input.Tags.length === 0) throw validationError('Tags must contain at least one tag key');
  for (const { Key } of input.Tags) if (Key !== undefined) lb.tags.delete(Key);
  return {};
};

// DescribeTags takes 1 to 20 names: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DescribeTags.html
const describeTags: Handler<DescribeTagsCommandInput, Out<DescribeTagsCommandOutput>> = (input, ctx) => {
  const names = input.LoadBalancerNames ?? [];
  if (names.length < 1 || names.length > 20)
    throw validationError('LoadBalancerNames must contain between 1 and 20 names');
  return {
    TagDescriptions: names.map((name) => {
      const lb = findLoadBalancer(ctx, name);
      return { LoadBalancerName: lb.name, Tags: [...lb.tags].map(([Key, Value]) => ({ Key, Value })) };
    }),
  };
};

export const tagHandlers: HandlerMap = {
  AddTags: addTags,
  RemoveTags: removeTags,
  DescribeTags: describeTags,
};
