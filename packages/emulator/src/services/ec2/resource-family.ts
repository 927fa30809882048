import type { Filter, ResourceType, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import type { Handler, Region, RequestContext } from '../../core/types';
import { checkDryRun, type IdErrors, missingParameter } from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId, type Sequence, sequence } from './ids';
import { type Page, paginate } from './paging';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications } from './tags';

/**
 * The engine every EC2 resource family is declared with: a typed store per region, ids of AWS's
 * shape, the Malformed/NotFound errors, Describe with ids + Filters + MaxResults/NextToken, tags
 * (TagSpecifications, CreateTags, DescribeTags, `tag:` filters), DryRun and dependency checks. A
 * family file declares its record, its SDK shape and its filter table, then writes only behaviour.
 *
 * Every mutating helper here validates first and applies last: a call that fails changes nothing.
 */

/** What every record carries: its id, and a per-family sequence number that orders every listing. */
export interface ResourceRecord {
  readonly id: string;
  readonly seq: number;
}

/** Where a family reads and writes: a handler's RequestContext fits. */
export type Scope = Pick<RequestContext, 'region' | 'clock'>;

/** What a shape or filter function may read beside the record. */
export interface View {
  region: Region;
  now: number;
  /** The same moment as a Scope, for shapes that read other families. */
  scope: Scope;
  /** The resource's tags, or undefined when it has none (EC2 then omits the list). */
  tags(id: string): Tag[] | undefined;
}

export interface FamilySpec<R extends ResourceRecord, S> {
  /** The id prefix: `igw` gives `igw-` and 17 hex digits (8-digit ids are accepted on input). */
  prefix: string;
  /** Its Malformed / NotFound / DependencyViolation errors: `idErrors(...)` in errors.ts. */
  errors: IdErrors;
  /** The tag resource type; without it the family cannot be tagged. */
  resourceType?: ResourceType;
  /** The SDK shape Describe* writes for a record. */
  shape(rec: R, view: View): S;
  /** The Describe action's filters as its API reference names them; `tag:*` come with `resourceType`. */
  filters?: (view: View) => FilterTable<R>;
  /** MaxResults bounds of the Describe action (default 5–1000). */
  paging?: { min: number; max: number };
  /**
   * Lifecycle on the clock: moves the record to its state as of `now` and answers false once it has
   * vanished (a deleted NAT gateway after an hour). Reads call it; there are no timers.
   */
  settle?(rec: R, now: number, region: Region): boolean;
}

/** The fields the family assigns itself. */
export type NewRecord<R extends ResourceRecord> = Omit<R, 'seq'>;

interface Store<R> {
  seq: Sequence;
  byId: Map<string, R>;
}

/** The input members every Describe action shares. */
export interface DescribeInput {
  Filters?: Filter[] | undefined;
  /** A few actions (DescribeNatGateways, DescribeFlowLogs) name the list `Filter`. */
  Filter?: Filter[] | undefined;
  MaxResults?: number | undefined;
  NextToken?: string | undefined;
  DryRun?: boolean | undefined;
}

interface CreateInput {
  DryRun?: boolean | undefined;
  TagSpecifications?: TagSpecification[] | undefined;
}

/** A rule that keeps a record from being deleted; it answers what depends on it, if anything. */
type Dependent<R> = (scope: Scope, rec: R) => boolean;

type Seed = (region: Region) => void;
const seeds: Seed[] = [];

/**
 * Resources every region starts with (the default VPC and its set, AWS-managed prefix lists). They
 * are created on the region's first use, before any family reads its store.
 */
export function registerRegionSeed(seed: Seed): void {
  seeds.push(seed);
}

/** Runs the region seeds once, on the region's first use (every family store calls it). */
export function seedRegion(region: Region): void {
  const mark = region.slot('ec2.seeded', () => ({ done: false }));
  if (mark.done) return;
  // Marked before the seeds run: they add records through the same stores.
  mark.done = true;
  for (const seed of seeds) seed(region);
}

export function viewOf(scope: Scope): View {
  return { region: scope.region, now: scope.clock.now(), scope, tags: tagReader(scope.region) };
}

export class ResourceFamily<R extends ResourceRecord, S> {
  private readonly dependents: { what: string; rule: Dependent<R> }[] = [];
  private readonly slotKey: string;

  constructor(readonly spec: FamilySpec<R, S>) {
    this.slotKey = `ec2.family.${spec.prefix}`;
    if (spec.resourceType)
      registerTaggable(spec.prefix, {
        resourceType: spec.resourceType,
        check: (region, id, now) => void this.get({ region, clock: fixedClock(now) }, id),
      });
  }

  get prefix(): string {
    return this.spec.prefix;
  }

  private store(region: Region): Store<R> {
    seedRegion(region);
    return region.slot<Store<R>>(this.slotKey, () => ({ seq: sequence(), byId: new Map() }));
  }

  /** A fresh id of this family's shape. */
  newId(): string {
    return newId(this.spec.prefix);
  }

  /** Inserts a record (validation is the caller's, done before). */
  add(region: Region, rec: NewRecord<R>): R {
    const st = this.store(region);
    const full = { ...rec, seq: st.seq.next() } as R;
    st.byId.set(full.id, full);
    return full;
  }

  private alive(scope: Scope, rec: R): boolean {
    const settle = this.spec.settle;
    if (!settle || settle(rec, scope.clock.now(), scope.region)) return true;
    this.store(scope.region).byId.delete(rec.id);
    dropTags(scope.region, rec.id);
    return false;
  }

  /** The record, or undefined; no error and no id check. */
  find(scope: Scope, id: string): R | undefined {
    const rec = this.store(scope.region).byId.get(id);
    return rec && this.alive(scope, rec) ? rec : undefined;
  }

  /** The record, or the family's Malformed / NotFound error. `param` names a missing id parameter. */
  get(scope: Scope, id: string | undefined, param?: string): R {
    if (id === undefined || id === '') throw missingParameter(param ?? `${this.spec.prefix}Id`);
    if (!isWellFormedId(this.spec.prefix, id)) throw this.spec.errors.malformed(id);
    const rec = this.find(scope, id);
    if (!rec) throw this.spec.errors.notFound([id]);
    return rec;
  }

  /** Several records in creation order: malformed ids fail first, then one NotFound names every unknown id. */
  getMany(scope: Scope, ids: readonly string[]): R[] {
    for (const id of ids) if (!isWellFormedId(this.spec.prefix, id)) throw this.spec.errors.malformed(id);
    const out: R[] = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const rec = this.find(scope, id);
      if (rec) out.push(rec);
      else missing.push(id);
    }
    if (missing.length) throw this.spec.errors.notFound(missing);
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Every live record, in creation order. */
  list(scope: Scope): R[] {
    const out: R[] = [];
    for (const rec of this.store(scope.region).byId.values()) if (this.alive(scope, rec)) out.push(rec);
    return out;
  }

  /** The records that `where` selects (a cheaper read than list().filter for hot paths). */
  *where(scope: Scope, keep: (rec: R) => boolean): Generator<R> {
    for (const rec of this.store(scope.region).byId.values())
      if (keep(rec) && this.alive(scope, rec)) yield rec;
  }

  shape(scope: Scope, rec: R): S {
    return this.spec.shape(rec, viewOf(scope));
  }

  /**
   * Describe*: the given ids (all must exist) or every record, then Filters (an unknown filter name
   * is InvalidParameterValue), then a page within the action's MaxResults bounds.
   */
  describe(
    scope: Scope,
    input: DescribeInput,
    ids?: readonly string[],
    also?: (rec: R) => boolean,
  ): { items: S[]; nextToken: string | undefined } {
    const view = viewOf(scope);
    const keep = compileFilters(
      input.Filters ?? input.Filter,
      this.spec.filters?.(view) ?? {},
      this.spec.resourceType ? (r: R) => view.tags(r.id) : undefined,
    );
    const source = ids?.length ? this.getMany(scope, ids) : this.list(scope);
    const matching = source.filter((r) => (!also || also(r)) && keep(r));
    const page: Page<R> = paginate(matching, input, this.spec.paging ?? { min: 5, max: 1000 });
    return { items: page.items.map((r) => this.spec.shape(r, view)), nextToken: page.nextToken };
  }

  /**
   * A whole Describe handler: `ids` reads the action's id list from its input, `key` names the
   * output list. Typed by the caller as `Handler<DescribeXCommandInput, Out<DescribeXCommandOutput>>`.
   */
  describeHandler<I extends DescribeInput, K extends string>(
    ids: (input: I) => readonly string[] | undefined,
    key: K,
  ): Handler<I, Record<K, S[]> & { NextToken?: string | undefined }> {
    return (input, ctx) => {
      const page = this.describe(ctx, input, ids(input));
      checkDryRun(input);
      return { [key]: page.items, NextToken: page.nextToken } as Record<K, S[]> & { NextToken?: string };
    };
  }

  /**
   * Create: checks TagSpecifications (types this action may tag, at most 50 tags) and DryRun, then
   * inserts the record built from its new id and applies its tags. Validate the rest before.
   */
  create(
    scope: Scope,
    input: CreateInput,
    build: (id: string) => Omit<NewRecord<R>, 'id'>,
    tagTypes: readonly string[] = this.spec.resourceType ? [this.spec.resourceType] : [],
  ): R {
    const tags = tagsFromSpecifications(input.TagSpecifications, tagTypes);
    checkDryRun(input);
    const id = this.newId();
    const rec = this.add(scope.region, { ...build(id), id } as NewRecord<R>);
    if (this.spec.resourceType) setTags(scope.region, id, tags.get(this.spec.resourceType) ?? []);
    return rec;
  }

  /** Removes a record and its tags (checks are the caller's, done before). */
  remove(region: Region, rec: R): void {
    this.store(region).byId.delete(rec.id);
    dropTags(region, rec.id);
  }

  /**
   * Declares what keeps a record of this family from being deleted. `what` documents the rule
   * (e.g. 'subnets'); `rule` answers whether such a dependent exists.
   */
  blockedBy(what: string, rule: Dependent<R>): void {
    this.dependents.push({ what, rule });
  }

  /** What still depends on the record (the `what` of each rule that holds), for messages and tests. */
  dependentsOf(scope: Scope, rec: R): string[] {
    return this.dependents.filter((d) => d.rule(scope, rec)).map((d) => d.what);
  }

  /** Throws the family's DependencyViolation when anything still depends on the record. */
  checkDeletable(scope: Scope, rec: R): void {
    if (this.dependentsOf(scope, rec).length > 0) throw this.spec.errors.inUse(rec.id);
  }

  /**
   * Delete: the record (Malformed/NotFound), the caller's own checks, the dependency rules, DryRun;
   * then removes it. Answers the removed record.
   */
  delete(
    scope: Scope,
    input: { DryRun?: boolean | undefined },
    id: string | undefined,
    param: string,
    check?: (rec: R) => void,
  ): R {
    const rec = this.get(scope, id, param);
    check?.(rec);
    this.checkDeletable(scope, rec);
    checkDryRun(input);
    this.remove(scope.region, rec);
    return rec;
  }
}

function fixedClock(now: number): Scope['clock'] {
  return {
    kind: 'virtual',
    now: () => now,
    advance: () => {
      throw new Error('a fixed clock does not advance');
    },
    setTimer: () => {
      throw new Error('a fixed clock sets no timers');
    },
  };
}

/** A scope at a given moment, for readers that have a region and a time but no request. */
export const scopeAt = (region: Region, now: number): Scope => ({ region, clock: fixedClock(now) });

/** Declares a resource family; see the README's "The resource-family engine". */
export function defineFamily<R extends ResourceRecord, S>(spec: FamilySpec<R, S>): ResourceFamily<R, S> {
  return new ResourceFamily(spec);
}

/**
 * A state that moves on the clock, for families whose resources are `pending` for a while, or stay
 * listed as `deleted` for a while: `state` until `settlesAt`, then `settlesTo`; the record vanishes
 * at `goneAt`. `settleLifecycle` is a family's `settle`.
 */
export interface Lifecycle<S extends string> {
  state: S;
  settlesTo?: S | undefined;
  settlesAt?: number | undefined;
  /** Once settled into `settlesTo`, the record stays listed this long (deleted resources). */
  visibleFor?: number | undefined;
  goneAt?: number | undefined;
}

/** Enters `state` now; with `then`, settles into it after `delay`, and vanishes `visibleFor` later. */
export function moveTo<S extends string>(
  rec: Lifecycle<S>,
  now: number,
  state: S,
  then?: { state: S; delay: number; visibleFor?: number },
): void {
  rec.state = state;
  rec.settlesTo = then?.state;
  rec.settlesAt = then ? now + then.delay : undefined;
  rec.visibleFor = then?.visibleFor;
  rec.goneAt = undefined;
  settleLifecycle(rec, now);
}

export function settleLifecycle<S extends string>(rec: Lifecycle<S>, now: number): boolean {
  if (rec.settlesTo !== undefined && now >= rec.settlesAt!) {
    rec.state = rec.settlesTo;
    if (rec.visibleFor !== undefined) rec.goneAt = rec.settlesAt! + rec.visibleFor;
    rec.settlesTo = undefined;
    rec.settlesAt = undefined;
  }
  return rec.goneAt === undefined || now < rec.goneAt;
}
