import type {
  CreateManagedPrefixListCommandInput,
  CreateManagedPrefixListCommandOutput,
  DeleteManagedPrefixListCommandInput,
  DeleteManagedPrefixListCommandOutput,
  DescribeManagedPrefixListsCommandInput,
  DescribeManagedPrefixListsCommandOutput,
  DescribePrefixListsCommandInput,
  DescribePrefixListsCommandOutput,
  GetManagedPrefixListAssociationsCommandInput,
  GetManagedPrefixListAssociationsCommandOutput,
  GetManagedPrefixListEntriesCommandInput,
  GetManagedPrefixListEntriesCommandOutput,
  ManagedPrefixList,
  ModifyManagedPrefixListCommandInput,
  ModifyManagedPrefixListCommandOutput,
  PrefixListEntry,
  RestoreManagedPrefixListVersionCommandInput,
  RestoreManagedPrefixListVersionCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { parseCidr, parseIpv6Cidr } from './cidr';
import { checkDryRun, idErrors, invalidParameterValue, missingParameter } from './errors';
import { compileFilters } from './filters';
import { paginate } from './paging';
import {
  defineFamily,
  type ResourceRecord,
  registerRegionSeed,
  type Scope,
  scopeAt,
} from './resource-family';

/**
 * Managed prefix lists: the AWS-managed ones of each region (S3 and DynamoDB, which gateway VPC
 * endpoints route to) and the account's own, versioned: every change makes a new version, and a
 * change names the version it applies to (PrefixListVersionMismatch otherwise).
 * https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html
 */
export interface PrefixListRecord extends ResourceRecord {
  name: string;
  addressFamily: 'IPv4' | 'IPv6';
  maxEntries?: number | undefined;
  ownerId: string;
  /** Entries of every version, newest last; version n is versions[n - 1]. */
  versions: PrefixListEntry[][];
  state: 'create-complete' | 'modify-complete';
}

const arn = (region: Region, p: PrefixListRecord) =>
  `arn:aws:ec2:${region.name}:${p.ownerId === 'AWS' ? 'aws' : region.accountId}:prefix-list/${p.id}`;

export const prefixLists = defineFamily<PrefixListRecord, ManagedPrefixList>({
  prefix: 'pl',
  resourceType: 'prefix-list',
  errors: idErrors({
    notFound: 'InvalidPrefixListID.NotFound',
    malformed: 'InvalidPrefixListId.Malformed',
    noun: 'prefixList',
    prefix: 'pl',
  }),
  paging: { min: 1, max: 100 },
  shape: (p, view) => ({
    PrefixListId: p.id,
    PrefixListName: p.name,
    AddressFamily: p.addressFamily,
    State: p.state,
    PrefixListArn: arn(view.region, p),
    MaxEntries: p.maxEntries,
    Version: p.ownerId === 'AWS' ? undefined : p.versions.length,
    OwnerId: p.ownerId,
    Tags: view.tags(p.id),
  }),
  filters: () => ({
    'owner-id': (p) => p.ownerId,
    'prefix-list-id': (p) => p.id,
    'prefix-list-name': (p) => p.name,
  }),
});

/** The AWS-managed lists of a region (their real us-east-1 ids; a documentation range elsewhere). */
const AWS_MANAGED = [
  {
    service: 's3',
    id: 'pl-63a5400a',
    cidrs: ['3.5.0.0/19', '16.182.0.0/16', '52.216.0.0/15', '54.231.0.0/16'],
  },
  { service: 'dynamodb', id: 'pl-02cd2c6b', cidrs: ['3.218.180.0/22', '52.94.0.0/22', '52.119.224.0/20'] },
];

registerRegionSeed((region) => {
  for (const m of AWS_MANAGED)
    prefixLists.add(region, {
      id: region.name === 'us-east-1' ? m.id : prefixLists.newId(),
      name: `com.amazonaws.${region.name}.${m.service}`,
      addressFamily: 'IPv4',
      ownerId: 'AWS',
      versions: [m.cidrs.map((Cidr) => ({ Cidr }))],
      state: 'create-complete',
    });
});

/** The AWS-managed list of a service (`com.amazonaws.us-east-1.s3`), for gateway endpoints. */
export const managedListFor = (scope: Scope, serviceName: string) =>
  prefixLists.where(scope, (p) => p.ownerId === 'AWS' && p.name === serviceName).next().value as
    | PrefixListRecord
    | undefined;

const current = (p: PrefixListRecord) => p.versions[p.versions.length - 1]!;

/** Rules that keep a list from deletion (routes and security-group rules naming it). */
const references: ((scope: Scope, id: string) => boolean)[] = [];
export const prefixListReferencedBy = (rule: (scope: Scope, id: string) => boolean) =>
  void references.push(rule);
prefixLists.blockedBy('references', (scope, p) => references.some((r) => r(scope, p.id)));

function checkEntries(family: 'IPv4' | 'IPv6', entries: readonly { Cidr?: string | undefined }[]): void {
  for (const e of entries) {
    if (!e.Cidr) throw missingParameter('Entry.Cidr');
    const ok = family === 'IPv4' ? parseCidr(e.Cidr) : parseIpv6Cidr(e.Cidr);
    if (!ok)
      throw invalidParameterValue(
        `The CIDR '${e.Cidr}' is invalid for a prefix list of address family ${family}.`,
      );
  }
}

const createManagedPrefixList: Handler<
  CreateManagedPrefixListCommandInput,
  Out<CreateManagedPrefixListCommandOutput>
> = (input, ctx) => {
  if (!input.PrefixListName) throw missingParameter('PrefixListName');
  if (input.MaxEntries === undefined) throw missingParameter('MaxEntries');
  if (input.AddressFamily !== 'IPv4' && input.AddressFamily !== 'IPv6')
    throw invalidParameterValue(`Value (${input.AddressFamily}) for parameter addressFamily is invalid.`);
  if (input.PrefixListName.startsWith('com.amazonaws'))
    throw invalidParameterValue("Prefix list names starting with 'com.amazonaws' are reserved.");
  const entries = input.Entries ?? [];
  checkEntries(input.AddressFamily, entries);
  if (input.MaxEntries < 1 || entries.length > input.MaxEntries)
    throw invalidParameterValue(`The number of entries exceeds the maximum of ${input.MaxEntries}.`);
  const family = input.AddressFamily;
  const p = prefixLists.create(ctx, input, () => ({
    name: input.PrefixListName!,
    addressFamily: family,
    maxEntries: input.MaxEntries,
    ownerId: ctx.region.accountId,
    versions: [entries.map((e) => ({ Cidr: e.Cidr, Description: e.Description }))],
    state: 'create-complete',
  }));
  return { PrefixList: prefixLists.shape(ctx, p) };
};

const own = (scope: Scope, id: string | undefined) => {
  const p = prefixLists.get(scope, id, 'PrefixListId');
  if (p.ownerId === 'AWS')
    throw new AwsError('UnauthorizedOperation', `You are not authorized to modify ${p.id}`, 403);
  return p;
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyManagedPrefixList.html */
const modifyManagedPrefixList: Handler<
  ModifyManagedPrefixListCommandInput,
  Out<ModifyManagedPrefixListCommandOutput>
> = (input, ctx) => {
  const p = own(ctx, input.PrefixListId);
  const adding = input.AddEntries ?? [];
  const removing = input.RemoveEntries ?? [];
  if ((adding.length || removing.length) && input.CurrentVersion === undefined)
    throw missingParameter('CurrentVersion');
  if (input.CurrentVersion !== undefined && input.CurrentVersion !== p.versions.length)
    throw new AwsError(
      'PrefixListVersionMismatch',
      `The prefix list ${p.id} has version ${p.versions.length}, not ${input.CurrentVersion}.`,
    );
  checkEntries(p.addressFamily, adding);
  const gone = new Set(removing.map((e) => e.Cidr));
  for (const c of gone)
    if (!current(p).some((e) => e.Cidr === c))
      throw invalidParameterValue(`The CIDR ${c} is not an entry of prefix list ${p.id}.`);
  const next = [
    ...current(p).filter((e) => !gone.has(e.Cidr) && !adding.some((a) => a.Cidr === e.Cidr)),
    ...adding.map((e) => ({ Cidr: e.Cidr, Description: e.Description })),
  ];
  const max = input.MaxEntries ?? p.maxEntries ?? Number.POSITIVE_INFINITY;
  if (next.length > max) throw invalidParameterValue(`The number of entries exceeds the maximum of ${max}.`);
  checkDryRun(input);
  if (input.PrefixListName) p.name = input.PrefixListName;
  if (input.MaxEntries !== undefined) p.maxEntries = input.MaxEntries;
  if (adding.length || removing.length) p.versions.push(next);
  p.state = 'modify-complete';
  return { PrefixList: prefixLists.shape(ctx, p) };
};

const deleteManagedPrefixList: Handler<
  DeleteManagedPrefixListCommandInput,
  Out<DeleteManagedPrefixListCommandOutput>
> = (input, ctx) => {
  own(ctx, input.PrefixListId);
  const p = prefixLists.delete(ctx, input, input.PrefixListId, 'PrefixListId');
  return { PrefixList: { ...prefixLists.shape(ctx, p), State: 'delete-complete' } };
};

const getManagedPrefixListEntries: Handler<
  GetManagedPrefixListEntriesCommandInput,
  Out<GetManagedPrefixListEntriesCommandOutput>
> = (input, ctx) => {
  const p = prefixLists.get(ctx, input.PrefixListId, 'PrefixListId');
  const v = input.TargetVersion ?? p.versions.length;
  const entries = p.versions[v - 1];
  if (!entries) throw invalidParameterValue(`The prefix list ${p.id} has no version ${v}.`);
  checkDryRun(input);
  const page = paginate(
    entries.map((e, i) => ({ seq: i + 1, e })),
    input,
    { min: 1, max: 100 },
  );
  return { Entries: page.items.map((x) => x.e), NextToken: page.nextToken };
};

/** DescribePrefixLists: the AWS-managed lists only, with their CIDRs (the older API). */
const describePrefixLists: Handler<DescribePrefixListsCommandInput, Out<DescribePrefixListsCommandOutput>> = (
  input,
  ctx,
) => {
  const managed = prefixLists.list(ctx).filter((p) => p.ownerId === 'AWS');
  for (const id of input.PrefixListIds ?? [])
    if (!managed.some((p) => p.id === id)) throw prefixLists.spec.errors.notFound([id]);
  const keep = compileFilters<PrefixListRecord>(input.Filters, {
    'prefix-list-id': (p) => p.id,
    'prefix-list-name': (p) => p.name,
  });
  const matching = managed.filter(
    (p) => (!input.PrefixListIds?.length || input.PrefixListIds.includes(p.id)) && keep(p),
  );
  const page = paginate(matching, input, { min: 5, max: 1000 });
  checkDryRun(input);
  return {
    PrefixLists: page.items.map((p) => ({
      PrefixListId: p.id,
      PrefixListName: p.name,
      Cidrs: current(p).map((e) => e.Cidr!),
    })),
    NextToken: page.nextToken,
  };
};

/** Makes an earlier version's entries the newest version (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RestoreManagedPrefixListVersion.html). */
const restoreVersion: Handler<
  RestoreManagedPrefixListVersionCommandInput,
  Out<RestoreManagedPrefixListVersionCommandOutput>
> = (input, ctx) => {
  const p = own(ctx, input.PrefixListId);
  if (input.CurrentVersion === undefined) throw missingParameter('CurrentVersion');
  if (input.PreviousVersion === undefined) throw missingParameter('PreviousVersion');
  if (input.CurrentVersion !== p.versions.length)
    throw new AwsError(
      'PrefixListVersionMismatch',
      `The prefix list ${p.id} has version ${p.versions.length}, not ${input.CurrentVersion}.`,
    );
  const previous = p.versions[input.PreviousVersion - 1];
  if (!previous || input.PreviousVersion >= p.versions.length)
    throw invalidParameterValue(`The prefix list ${p.id} has no earlier version ${input.PreviousVersion}.`);
  checkDryRun(input);
  p.versions.push(previous.map((e) => ({ ...e })));
  p.state = 'modify-complete';
  return { PrefixList: prefixLists.shape(ctx, p) };
};

/** The resources that reference a list, as the families that hold references report them. */
const associations: ((scope: Scope, id: string) => string[])[] = [];
export const prefixListAssociationsFrom = (source: (scope: Scope, id: string) => string[]) =>
  void associations.push(source);

const getAssociations: Handler<
  GetManagedPrefixListAssociationsCommandInput,
  Out<GetManagedPrefixListAssociationsCommandOutput>
> = (input, ctx) => {
  const p = own(ctx, input.PrefixListId);
  const ids = [...new Set(associations.flatMap((a) => a(ctx, p.id)))];
  const page = paginate(
    ids.map((ResourceId, i) => ({ seq: i + 1, ResourceId })),
    input,
    { min: 5, max: 255 },
  );
  checkDryRun(input);
  return {
    PrefixListAssociations: page.items.map((r) => ({
      ResourceId: r.ResourceId,
      ResourceOwner: ctx.region.accountId,
    })),
    NextToken: page.nextToken,
  };
};

/** The CIDRs a list holds now (for gateway endpoints' routes and security-group rules). */
export const prefixListCidrs = (region: Region, id: string) => {
  const p = prefixLists.find(scopeAt(region, 0), id);
  return p ? current(p).map((e) => e.Cidr!) : [];
};

export const prefixListHandlers: HandlerMap = {
  CreateManagedPrefixList: createManagedPrefixList,
  ModifyManagedPrefixList: modifyManagedPrefixList,
  DeleteManagedPrefixList: deleteManagedPrefixList,
  GetManagedPrefixListEntries: getManagedPrefixListEntries,
  DescribeManagedPrefixLists: prefixLists.describeHandler(
    (i: DescribeManagedPrefixListsCommandInput) => i.PrefixListIds,
    'PrefixLists',
  ) satisfies Handler<DescribeManagedPrefixListsCommandInput, Out<DescribeManagedPrefixListsCommandOutput>>,
  DescribePrefixLists: describePrefixLists,
  RestoreManagedPrefixListVersion: restoreVersion,
  GetManagedPrefixListAssociations: getAssociations,
};
