import type {
  CreateLaunchTemplateCommandInput,
  CreateLaunchTemplateCommandOutput,
  CreateLaunchTemplateVersionCommandInput,
  CreateLaunchTemplateVersionCommandOutput,
  DeleteLaunchTemplateCommandInput,
  DeleteLaunchTemplateCommandOutput,
  DeleteLaunchTemplateVersionsCommandInput,
  DeleteLaunchTemplateVersionsCommandOutput,
  DeleteLaunchTemplateVersionsResponseErrorItem,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplatesCommandOutput,
  DescribeLaunchTemplateVersionsCommandInput,
  DescribeLaunchTemplateVersionsCommandOutput,
  GetLaunchTemplateDataCommandInput,
  GetLaunchTemplateDataCommandOutput,
  LaunchTemplate,
  LaunchTemplateSpecification,
  LaunchTemplateVersion,
  ModifyLaunchTemplateCommandInput,
  ModifyLaunchTemplateCommandOutput,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
  RunInstancesCommandInput,
  Tag,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  checkDryRun,
  idErrors,
  invalidParameterCombination,
  invalidParameterValue,
  launchTemplateNameDuplicate,
  launchTemplateNameMalformed,
  launchTemplateNameNotFound,
  launchTemplateVersionNotFound,
  missingParameter,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { sequence } from './ids';
import { instanceShape } from './instance-shape';
import { resolveInstances } from './instances';
import { paginate } from './paging';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { tagReader } from './tags';

/**
 * Launch templates and their numbered versions, and how RunInstances merges one with its own
 * parameters. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html
 */

interface VersionRecord {
  /** Region-wide order of every version (paging). */
  seq: number;
  number: number;
  description?: string | undefined;
  data: RequestLaunchTemplateData;
  created: number;
}

export interface LaunchTemplateRecord extends ResourceRecord {
  name: string;
  created: number;
  defaultVersion: number;
  latestVersion: number;
  versions: Map<number, VersionRecord>;
}

const createdBy = (region: Region) => `arn:aws:iam::${region.accountId}:root`;

export const launchTemplates = defineFamily<LaunchTemplateRecord, LaunchTemplate>({
  prefix: 'lt',
  resourceType: 'launch-template',
  errors: idErrors({
    notFound: 'InvalidLaunchTemplateId.NotFound',
    malformed: 'InvalidLaunchTemplateId.Malformed',
    noun: 'launchTemplate',
    prefix: 'lt',
    notFoundMessage: (ids) =>
      `The specified launch template, with template ID ${ids.join(', ')}, does not exist.`,
  }),
  shape: (lt, view) => ({
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    CreateTime: new Date(lt.created),
    CreatedBy: createdBy(view.region),
    DefaultVersionNumber: lt.defaultVersion,
    LatestVersionNumber: lt.latestVersion,
    Tags: view.tags(lt.id),
    Operator: { Managed: false },
  }),
  filters: () => ({
    'create-time': (lt) => new Date(lt.created),
    'launch-template-name': (lt) => lt.name,
  }),
  paging: { min: 1, max: 200 },
});

const versionSeq = (region: Region) => region.slot('ec2.lt.versionSeq', () => sequence());

/** Names: 3–128 characters of letters, digits and ( ) . - / _ (API_CreateLaunchTemplate). */
function checkName(name: string | undefined): string {
  if (!name) throw missingParameter('LaunchTemplateName');
  if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) throw launchTemplateNameMalformed();
  return name;
}

const byName = (scope: Scope, name: string) =>
  launchTemplates.where(scope, (lt) => lt.name === name).next().value as LaunchTemplateRecord | undefined;

/** The template an action names by id or by name (exactly one of them). */
export function findTemplate(
  scope: Scope,
  o: { LaunchTemplateId?: string | undefined; LaunchTemplateName?: string | undefined },
): LaunchTemplateRecord {
  if (o.LaunchTemplateId && o.LaunchTemplateName)
    throw invalidParameterCombination('Only one of LaunchTemplateId or LaunchTemplateName may be specified.');
  if (o.LaunchTemplateId) return launchTemplates.get(scope, o.LaunchTemplateId, 'LaunchTemplateId');
  if (!o.LaunchTemplateName) throw missingParameter('LaunchTemplateId or LaunchTemplateName');
  const lt = byName(scope, o.LaunchTemplateName);
  if (!lt) throw launchTemplateNameNotFound(o.LaunchTemplateName);
  return lt;
}

/** `$Latest`, `$Default` or a version number. */
function versionOf(lt: LaunchTemplateRecord, v: string | undefined): VersionRecord {
  const n =
    v === undefined || v === '$Default' ? lt.defaultVersion : v === '$Latest' ? lt.latestVersion : Number(v);
  const rec = Number.isInteger(n) ? lt.versions.get(n) : undefined;
  if (!rec) throw launchTemplateVersionNotFound(lt.id, v ?? '$Default');
  return rec;
}

// Stored as requested; the response shape has the same members for everything the emulator keeps.
const responseData = (d: RequestLaunchTemplateData) => structuredClone(d) as ResponseLaunchTemplateData;

function versionShape(scope: Scope, lt: LaunchTemplateRecord, v: VersionRecord): LaunchTemplateVersion {
  return {
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    VersionNumber: v.number,
    VersionDescription: v.description,
    CreateTime: new Date(v.created),
    CreatedBy: createdBy(scope.region),
    DefaultVersion: v.number === lt.defaultVersion,
    LaunchTemplateData: responseData(v.data),
    Operator: { Managed: false },
  };
}

/** What CreateLaunchTemplate(Version) checks of the data; AWS accepts most of it and warns later. */
function checkData(data: RequestLaunchTemplateData | undefined): RequestLaunchTemplateData {
  if (!data) throw missingParameter('LaunchTemplateData');
  for (const spec of data.TagSpecifications ?? [])
    if (spec.ResourceType && !LAUNCH_TAG_TYPES.includes(spec.ResourceType))
      throw invalidParameterValue(
        `'${spec.ResourceType}' is not a valid taggable resource type for this operation.`,
      );
  return structuredClone(data);
}

const LAUNCH_TAG_TYPES = ['instance', 'volume', 'network-interface', 'spot-instances-request'];

const createLaunchTemplate: Handler<
  CreateLaunchTemplateCommandInput,
  Out<CreateLaunchTemplateCommandOutput>
> = (input, ctx) => {
  const name = checkName(input.LaunchTemplateName);
  const data = checkData(input.LaunchTemplateData);
  if (byName(ctx, name)) throw launchTemplateNameDuplicate();
  const now = ctx.clock.now();
  const lt = launchTemplates.create(ctx, input, (id) => ({
    id,
    name,
    created: now,
    defaultVersion: 1,
    latestVersion: 1,
    versions: new Map([
      [
        1,
        {
          seq: versionSeq(ctx.region).next(),
          number: 1,
          description: input.VersionDescription,
          data,
          created: now,
        },
      ],
    ]),
  }));
  return { LaunchTemplate: launchTemplates.shape(ctx, lt) };
};

/** A new version: the source version's data with the given members replacing it (SourceVersion). */
const createLaunchTemplateVersion: Handler<
  CreateLaunchTemplateVersionCommandInput,
  Out<CreateLaunchTemplateVersionCommandOutput>
> = (input, ctx) => {
  const lt = findTemplate(ctx, input);
  const given = checkData(input.LaunchTemplateData);
  const base = input.SourceVersion !== undefined ? versionOf(lt, input.SourceVersion).data : {};
  checkDryRun(input);
  const number = lt.latestVersion + 1;
  const v: VersionRecord = {
    seq: versionSeq(ctx.region).next(),
    number,
    description: input.VersionDescription,
    data: { ...structuredClone(base), ...given },
    created: ctx.clock.now(),
  };
  lt.versions.set(number, v);
  lt.latestVersion = number;
  return { LaunchTemplateVersion: versionShape(ctx, lt, v) };
};

const describeLaunchTemplates: Handler<
  DescribeLaunchTemplatesCommandInput,
  Out<DescribeLaunchTemplatesCommandOutput>
> = (input, ctx) => {
  if (input.LaunchTemplateIds?.length && input.LaunchTemplateNames?.length)
    throw invalidParameterCombination('LaunchTemplateIds and LaunchTemplateNames cannot both be specified.');
  let ids = input.LaunchTemplateIds;
  if (input.LaunchTemplateNames?.length)
    ids = input.LaunchTemplateNames.map((n) => {
      const lt = byName(ctx, n);
      if (!lt) throw launchTemplateNameNotFound(n);
      return lt.id;
    });
  const page = launchTemplates.describe(ctx, input, ids);
  return { LaunchTemplates: page.items, NextToken: page.nextToken };
};

type Row = { seq: number; lt: LaunchTemplateRecord; v: VersionRecord };

/** Version numbers stay far below this (AWS allows 10,000 versions per template). */
const NEWEST_FIRST = 1e9;

/** Filters on a version's data (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html). */
const versionFilters: FilterTable<Row> = {
  'create-time': (r) => new Date(r.v.created),
  'ebs-optimized': (r) => r.v.data.EbsOptimized,
  'http-endpoint': (r) => r.v.data.MetadataOptions?.HttpEndpoint,
  'http-protocol-ipv4': (r) => r.v.data.MetadataOptions?.HttpProtocolIpv6 && 'enabled',
  'http-protocol-ipv6': (r) => r.v.data.MetadataOptions?.HttpProtocolIpv6,
  'http-put-response-hop-limit': (r) => r.v.data.MetadataOptions?.HttpPutResponseHopLimit,
  'http-tokens': (r) => r.v.data.MetadataOptions?.HttpTokens,
  'iam-instance-profile': (r) => r.v.data.IamInstanceProfile?.Arn ?? r.v.data.IamInstanceProfile?.Name,
  'image-id': (r) => r.v.data.ImageId,
  'instance-type': (r) => r.v.data.InstanceType,
  'is-default-version': (r) => r.v.number === r.lt.defaultVersion,
  'kernel-id': (r) => r.v.data.KernelId,
  'ram-disk-id': (r) => r.v.data.RamDiskId,
  'license-configuration-arn': (r) => r.v.data.LicenseSpecifications?.map((l) => l.LicenseConfigurationArn),
  'host-resource-group-arn': (r) => r.v.data.Placement?.HostResourceGroupArn,
  'network-card-index': (r) => r.v.data.NetworkInterfaces?.map((n) => n.NetworkCardIndex ?? 0),
};

/**
 * Versions of one template (by number, `$Latest`, `$Default`, or a Min/Max range), or the `$Latest`
 * / `$Default` versions of every template when none is named.
 */
const describeLaunchTemplateVersions: Handler<
  DescribeLaunchTemplateVersionsCommandInput,
  Out<DescribeLaunchTemplateVersionsCommandOutput>
> = (input, ctx) => {
  const named = input.LaunchTemplateId || input.LaunchTemplateName;
  const wanted = input.Versions ?? [];
  let rows: Row[];
  if (named) {
    const lt = findTemplate(ctx, input);
    const min = input.MinVersion !== undefined ? Number(input.MinVersion) : undefined;
    const max = input.MaxVersion !== undefined ? Number(input.MaxVersion) : undefined;
    const picked = wanted.length
      ? [...new Set(wanted.map((w) => versionOf(lt, w)))]
      : [...lt.versions.values()];
    // Newest first, as AWS lists a template's versions; the paging key follows that order.
    rows = picked
      .filter((v) => (min === undefined || v.number >= min) && (max === undefined || v.number <= max))
      .map((v) => ({ seq: NEWEST_FIRST - v.number, lt, v }));
  } else {
    if (!wanted.length || wanted.some((w) => w !== '$Latest' && w !== '$Default'))
      throw missingParameter('LaunchTemplateId or LaunchTemplateName');
    rows = launchTemplates
      .list(ctx)
      .flatMap((lt) => [...new Set(wanted.map((w) => versionOf(lt, w)))].map((v) => ({ seq: v.seq, lt, v })));
  }
  const keep = compileFilters(input.Filters, versionFilters);
  rows = rows.filter(keep).sort((a, b) => a.seq - b.seq);
  const page = paginate(rows, input, { min: 1, max: 200 });
  return {
    LaunchTemplateVersions: page.items.map((r) => versionShape(ctx, r.lt, r.v)),
    NextToken: page.nextToken,
  };
};

const modifyLaunchTemplate: Handler<
  ModifyLaunchTemplateCommandInput,
  Out<ModifyLaunchTemplateCommandOutput>
> = (input, ctx) => {
  const lt = findTemplate(ctx, input);
  const v = input.DefaultVersion !== undefined ? versionOf(lt, input.DefaultVersion) : undefined;
  checkDryRun(input);
  if (v) lt.defaultVersion = v.number;
  return { LaunchTemplate: launchTemplates.shape(ctx, lt) };
};

const deleteLaunchTemplate: Handler<
  DeleteLaunchTemplateCommandInput,
  Out<DeleteLaunchTemplateCommandOutput>
> = (input, ctx) => {
  const found = findTemplate(ctx, input);
  const shape = launchTemplates.shape(ctx, found);
  launchTemplates.delete(ctx, input, found.id, 'LaunchTemplateId');
  return { LaunchTemplate: shape };
};

/** Each version succeeds or fails on its own; the default version cannot go (DeleteLaunchTemplate removes all). */
const deleteLaunchTemplateVersions: Handler<
  DeleteLaunchTemplateVersionsCommandInput,
  Out<DeleteLaunchTemplateVersionsCommandOutput>
> = (input, ctx) => {
  const lt = findTemplate(ctx, input);
  if (!input.Versions?.length) throw missingParameter('LaunchTemplateVersion');
  checkDryRun(input);
  const ok: { LaunchTemplateId: string; LaunchTemplateName: string; VersionNumber: number }[] = [];
  const failed: DeleteLaunchTemplateVersionsResponseErrorItem[] = [];
  for (const raw of input.Versions) {
    const n = Number(raw);
    const base = { LaunchTemplateId: lt.id, LaunchTemplateName: lt.name, VersionNumber: n };
    if (!Number.isInteger(n) || !lt.versions.has(n))
      failed.push({
        ...base,
        VersionNumber: Number.isInteger(n) ? n : undefined,
        ResponseError: {
          Code: 'launchTemplateVersionDoesNotExist',
          Message: 'The specified launch template version does not exist.',
        },
      });
    else if (n === lt.defaultVersion)
      failed.push({
        ...base,
        ResponseError: {
          Code: 'unexpectedError',
          Message:
            'Cannot delete the default version of a launch template. Use DeleteLaunchTemplate instead.',
        },
      });
    else {
      lt.versions.delete(n);
      ok.push(base);
    }
  }
  // The latest number never goes down: a new version after deleting the latest gets the next number.
  return {
    SuccessfullyDeletedLaunchTemplateVersions: ok,
    UnsuccessfullyDeletedLaunchTemplateVersions: failed,
  };
};

/** Launch parameters of a running instance, as a launch template's data (API_GetLaunchTemplateData). */
const getLaunchTemplateData: Handler<
  GetLaunchTemplateDataCommandInput,
  Out<GetLaunchTemplateDataCommandOutput>
> = (input, ctx) => {
  const [rec] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  checkDryRun(input);
  const i = instanceShape(ctx.region, rec!, tagReader(ctx.region)(rec!.id));
  const userTags = (i.Tags ?? []).filter((t) => !t.Key?.startsWith('aws:'));
  const LaunchTemplateData: ResponseLaunchTemplateData = {
    ImageId: i.ImageId,
    InstanceType: i.InstanceType,
    KeyName: i.KeyName,
    EbsOptimized: i.EbsOptimized,
    BlockDeviceMappings: i.BlockDeviceMappings?.map((b) => ({
      DeviceName: b.DeviceName,
      Ebs: { DeleteOnTermination: b.Ebs?.DeleteOnTermination },
    })),
    NetworkInterfaces: i.NetworkInterfaces?.map((n) => ({
      DeviceIndex: n.Attachment?.DeviceIndex,
      DeleteOnTermination: n.Attachment?.DeleteOnTermination,
      Description: n.Description,
      Groups: n.Groups?.map((g) => g.GroupId!),
      NetworkInterfaceId: n.NetworkInterfaceId,
      PrivateIpAddresses: n.PrivateIpAddresses?.map((p) => ({
        Primary: p.Primary,
        PrivateIpAddress: p.PrivateIpAddress,
      })),
      SubnetId: n.SubnetId,
      NetworkCardIndex: n.Attachment?.NetworkCardIndex,
    })),
    Monitoring: { Enabled: i.Monitoring?.State === 'enabled' },
    Placement: {
      AvailabilityZone: i.Placement?.AvailabilityZone,
      GroupName: i.Placement?.GroupName,
      Tenancy: i.Placement?.Tenancy,
    },
    DisableApiTermination: rec!.disableApiTermination,
    DisableApiStop: rec!.disableApiStop,
    InstanceInitiatedShutdownBehavior: rec!.shutdownBehavior,
    UserData: rec!.userData,
    TagSpecifications: userTags.length ? [{ ResourceType: 'instance', Tags: userTags }] : undefined,
    CpuOptions: i.CpuOptions,
    CapacityReservationSpecification: i.CapacityReservationSpecification,
    HibernationOptions: i.HibernationOptions,
    MetadataOptions: i.MetadataOptions,
    EnclaveOptions: i.EnclaveOptions,
    PrivateDnsNameOptions: i.PrivateDnsNameOptions,
    MaintenanceOptions: i.MaintenanceOptions,
    IamInstanceProfile: i.IamInstanceProfile && { Arn: i.IamInstanceProfile.Arn },
  };
  return { LaunchTemplateData };
};

// ---------------------------------------------------------------------------------------------------
// RunInstances with LaunchTemplate.

/** The template and version a launch names, and that version's data (validated before anything runs). */
export interface ResolvedTemplate {
  id: string;
  name: string;
  version: number;
  data: RequestLaunchTemplateData;
}

export function resolveLaunchTemplate(scope: Scope, spec: LaunchTemplateSpecification): ResolvedTemplate {
  const lt = findTemplate(scope, spec);
  const v = versionOf(lt, spec.Version);
  return { id: lt.id, name: lt.name, version: v.number, data: v.data };
}

function mergeTags(
  fromTemplate: readonly TagSpecification[] | undefined,
  fromCall: readonly TagSpecification[] | undefined,
): TagSpecification[] | undefined {
  if (!fromTemplate?.length) return fromCall ? [...fromCall] : undefined;
  const byType = new Map<string, Map<string, string>>();
  for (const spec of [...fromTemplate, ...(fromCall ?? [])]) {
    const type = spec.ResourceType ?? '';
    const m = byType.get(type) ?? new Map<string, string>();
    for (const t of spec.Tags ?? []) m.set(t.Key ?? '', t.Value ?? '');
    byType.set(type, m);
  }
  return [...byType].map(([type, m]) => ({
    ResourceType: (type || undefined) as TagSpecification['ResourceType'],
    Tags: [...m].map(([Key, Value]): Tag => ({ Key, Value })),
  }));
}

/**
 * The RunInstances request a launch template makes with the call: every parameter the call gives
 * overrides the template's; tags are merged per resource type (the call's value wins for a key);
 * the call's NetworkInterfaces replace the template's, and a call-level SubnetId or security groups
 * go into the template's primary interface
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html, LaunchTemplate).
 */
export function mergeLaunchTemplate(
  data: RequestLaunchTemplateData,
  call: RunInstancesCommandInput,
): RunInstancesCommandInput {
  const merged: Record<string, unknown> = { ...(structuredClone(data) as Record<string, unknown>) };
  for (const [k, v] of Object.entries(call)) if (v !== undefined) merged[k] = v;
  const out = merged as unknown as RunInstancesCommandInput;
  out.TagSpecifications = mergeTags(data.TagSpecifications, call.TagSpecifications);
  const templateNics = data.NetworkInterfaces;
  if (templateNics?.length && !call.NetworkInterfaces?.length) {
    const nics = structuredClone(templateNics) as NonNullable<RunInstancesCommandInput['NetworkInterfaces']>;
    const primary = nics.find((n) => (n.DeviceIndex ?? 0) === 0);
    if (primary && call.SubnetId) primary.SubnetId = call.SubnetId;
    const groups = call.SecurityGroupIds ?? data.SecurityGroupIds;
    if (primary && groups?.length) primary.Groups = [...groups];
    out.NetworkInterfaces = nics;
    out.SubnetId = undefined;
    out.SecurityGroupIds = undefined;
  }
  out.LaunchTemplate = undefined;
  return out;
}

/** The tags AWS puts on an instance launched from a template. */
export const launchTemplateTags = (t: ResolvedTemplate): Tag[] => [
  { Key: 'aws:ec2launchtemplate:id', Value: t.id },
  { Key: 'aws:ec2launchtemplate:version', Value: String(t.version) },
];

export const launchTemplateHandlers: HandlerMap = {
  CreateLaunchTemplate: createLaunchTemplate,
  CreateLaunchTemplateVersion: createLaunchTemplateVersion,
  DescribeLaunchTemplates: describeLaunchTemplates,
  DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
  ModifyLaunchTemplate: modifyLaunchTemplate,
  DeleteLaunchTemplate: deleteLaunchTemplate,
  DeleteLaunchTemplateVersions: deleteLaunchTemplateVersions,
  GetLaunchTemplateData: getLaunchTemplateData,
};
