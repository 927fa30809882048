import type {
  CreateTagsCommandInput,
  CreateTagsCommandOutput,
  DeleteTagsCommandInput,
  DeleteTagsCommandOutput,
  DescribeTagsCommandInput,
  DescribeTagsCommandOutput,
  ResourceType,
  Tag,
  TagDescription,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun, invalidId, invalidParameterValue, missingParameter, tagLimitExceeded } from './errors';
import { compileFilters, type FilterTable } from './filters';
import { idPrefix } from './ids';
import { paginate } from './paging';

/**
 * Tags of every EC2 resource in a region, keyed by resource id. Families register their id prefix so
 * that CreateTags can check that a resource exists and DescribeTags can name its type.
 */
interface Taggable {
  resourceType: ResourceType;
  /** Throws the family's NotFound/Malformed error when the id does not name a live resource. */
  check(region: Region, id: string, now: number): void;
}

const taggables = new Map<string, Taggable>();

/** Called once per family at module load: `i` → instance, `vol` → volume, and so on. */
export function registerTaggable(prefix: string, t: Taggable): void {
  taggables.set(prefix, t);
}

type TagMap = Map<string, string>;

interface TagState {
  byResource: Map<string, TagMap>;
  seq: number;
}

const state = (region: Region) =>
  region.slot<TagState>('ec2.tags', () => ({ byResource: new Map(), seq: 0 }));

const MAX_TAGS = 50;

function toTags(m: TagMap | undefined): Tag[] | undefined {
  if (!m || m.size === 0) return undefined;
  const out: Tag[] = [];
  for (const [Key, Value] of m) out.push({ Key, Value });
  return out;
}

/** The tags of a resource in the SDK's shape, or undefined when it has none (EC2 omits the list). */
export function tagsOf(region: Region, id: string): Tag[] | undefined {
  return toTags(state(region).byResource.get(id));
}

/** A tag lookup bound to a region, for the filter engine's `tag:` filters. */
export function tagReader(region: Region): (id: string) => Tag[] | undefined {
  const byResource = state(region).byResource;
  return (id) => toTags(byResource.get(id));
}

function validateTags(tags: readonly Tag[]): void {
  for (const t of tags) {
    if (t.Key === undefined) throw missingParameter('Tag.Key');
    if (t.Key.length > 128)
      throw invalidParameterValue(`Tag key exceeds the maximum length of 128 characters`);
    if (t.Key.toLowerCase().startsWith('aws:'))
      throw invalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use`);
    if ((t.Value ?? '').length > 256)
      throw invalidParameterValue(`Tag value exceeds the maximum length of 256 characters`);
  }
}

/** How many tags a resource would have with `tags` added (a key already there is overwritten). */
function countAfter(current: TagMap | undefined, tags: readonly Tag[]): number {
  const keys = new Set(current?.keys());
  for (const t of tags) keys.add(t.Key!);
  return keys.size;
}

/** Throws TagLimitExceeded, changing nothing, when any of `ids` would pass 50 tags with `tags` added. */
export function checkTagLimit(region: Region, ids: readonly string[], tags: readonly Tag[]): void {
  const byResource = state(region).byResource;
  for (const id of ids) if (countAfter(byResource.get(id), tags) > MAX_TAGS) throw tagLimitExceeded();
}

/**
 * Adds tags to a resource. The limit is checked before anything changes; creating calls have
 * checked it already (tagsFromSpecifications), so for them this cannot fail.
 */
export function setTags(region: Region, id: string, tags: readonly Tag[]): void {
  if (tags.length === 0) return;
  checkTagLimit(region, [id], tags);
  const byResource = state(region).byResource;
  let m = byResource.get(id);
  if (!m) {
    m = new Map();
    byResource.set(id, m);
  }
  for (const t of tags) m.set(t.Key!, t.Value ?? '');
}

/** Forgets a deleted resource's tags. */
export function dropTags(region: Region, id: string): void {
  state(region).byResource.delete(id);
}

/**
 * The tags that TagSpecifications give to one resource type of a create call. A specification for a
 * type the action cannot tag is an error, as in AWS.
 */
export function tagsFromSpecifications(
  specs: readonly TagSpecification[] | undefined,
  allowed: readonly string[],
): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const s of specs ?? []) {
    const type = s.ResourceType;
    if (!type) throw missingParameter('TagSpecification.ResourceType');
    if (!allowed.includes(type))
      throw invalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    const tags = s.Tags ?? [];
    validateTags(tags);
    out.set(type, [...(out.get(type) ?? []), ...tags]);
  }
  // A new resource starts with no tags: more than 50 keys fail the call before anything is created.
  for (const tags of out.values()) if (countAfter(undefined, tags) > MAX_TAGS) throw tagLimitExceeded();
  return out;
}

function checkResources(region: Region, ids: readonly string[] | undefined, now: number): string[] {
  if (!ids || ids.length === 0) throw missingParameter('ResourceId');
  for (const id of ids) {
    const t = taggables.get(idPrefix(id));
    if (!t) throw invalidId(id);
    t.check(region, id, now);
  }
  return [...ids];
}

const createTags: Handler<CreateTagsCommandInput, Out<CreateTagsCommandOutput>> = (input, ctx) => {
  const ids = checkResources(ctx.region, input.Resources, ctx.clock.now());
  const tags = input.Tags ?? [];
  if (tags.length === 0) throw missingParameter('Tag');
  validateTags(tags);
  checkTagLimit(ctx.region, ids, tags);
  checkDryRun(input);
  for (const id of ids) setTags(ctx.region, id, tags);
  return {};
};

/**
 * A tag with a Value is deleted only when the value matches; without a Value, whatever its value
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html). No Tags at all deletes
 * every user tag.
 */
const deleteTags: Handler<DeleteTagsCommandInput, Out<DeleteTagsCommandOutput>> = (input, ctx) => {
  const ids = checkResources(ctx.region, input.Resources, ctx.clock.now());
  checkDryRun(input);
  const byResource = state(ctx.region).byResource;
  for (const id of ids) {
    const m = byResource.get(id);
    if (!m) continue;
    if (!input.Tags || input.Tags.length === 0) {
      m.clear();
      continue;
    }
    for (const t of input.Tags) {
      if (t.Key === undefined) continue;
      if (t.Value === undefined || m.get(t.Key) === t.Value) m.delete(t.Key);
    }
  }
  return {};
};

interface TagRow {
  seq: number;
  ResourceId: string;
  ResourceType: ResourceType | undefined;
  Key: string;
  Value: string;
}

const tagFilters: FilterTable<TagRow> = {
  key: (r) => r.Key,
  value: (r) => r.Value,
  'resource-id': (r) => r.ResourceId,
  'resource-type': (r) => r.ResourceType,
};

const describeTags: Handler<DescribeTagsCommandInput, Out<DescribeTagsCommandOutput>> = (input, ctx) => {
  // tag:KEY style filters also work on DescribeTags: they select the rows of resources with that tag.
  const byResource = state(ctx.region).byResource;
  const keep = compileFilters<TagRow>(input.Filters, tagFilters, (r) => tagsOf(ctx.region, r.ResourceId));
  function* rows(): Generator<TagRow> {
    let seq = 0;
    for (const [id, m] of byResource) {
      const ResourceType = taggables.get(idPrefix(id))?.resourceType;
      for (const [Key, Value] of m) {
        const row = { seq: ++seq, ResourceId: id, ResourceType, Key, Value };
        if (keep(row)) yield row;
      }
    }
  }
  const page = paginate(rows(), input, { min: 5, max: 1000 });
  const Tags: TagDescription[] = page.items.map(({ ResourceId, ResourceType, Key, Value }) => ({
    ResourceId,
    ResourceType,
    Key,
    Value,
  }));
  return { Tags, NextToken: page.nextToken };
};

export const tagHandlers: HandlerMap = {
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
};
