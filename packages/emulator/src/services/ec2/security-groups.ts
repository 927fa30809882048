import type {
  AuthorizeSecurityGroupEgressCommandInput,
  AuthorizeSecurityGroupEgressCommandOutput,
  AuthorizeSecurityGroupIngressCommandInput,
  AuthorizeSecurityGroupIngressCommandOutput,
  CreateSecurityGroupCommandInput,
  CreateSecurityGroupCommandOutput,
  DeleteSecurityGroupCommandInput,
  DeleteSecurityGroupCommandOutput,
  DescribeSecurityGroupRulesCommandInput,
  DescribeSecurityGroupRulesCommandOutput,
  DescribeSecurityGroupsCommandInput,
  DescribeSecurityGroupsCommandOutput,
  IpPermission,
  RevokeSecurityGroupEgressCommandInput,
  RevokeSecurityGroupEgressCommandOutput,
  RevokeSecurityGroupIngressCommandInput,
  RevokeSecurityGroupIngressCommandOutput,
  SecurityGroup,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region, RequestContext } from '../../core/types';
import {
  checkDryRun,
  dependencyViolation,
  groupDuplicate,
  groupMalformed,
  groupNotFound,
  invalidParameterValue,
  missingParameter,
  permissionDuplicate,
  permissionNotFound,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { isWellFormedId, newId, sequence } from './ids';
import { liveInstances } from './instance-state';
import { network } from './network-state';
import { paginate } from './paging';
import { seedRegion } from './resource-family';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';
import { findVpc, onVpcCreated, onVpcDeleted, vpcs } from './vpcs';

/** Security groups and their rules, with a default group in every VPC. */

export interface Rule {
  id: string;
  protocol: string;
  from?: number | undefined;
  to?: number | undefined;
  cidrIpv4?: string | undefined;
  cidrIpv6?: string | undefined;
  groupId?: string | undefined;
  prefixListId?: string | undefined;
  description?: string | undefined;
}

export interface GroupRecord {
  seq: number;
  id: string;
  name: string;
  description: string;
  vpcId: string;
  ingress: Rule[];
  egress: Rule[];
}

interface GroupState {
  seq: ReturnType<typeof sequence>;
  groups: Map<string, GroupRecord>;
  defaults: Map<string, string>;
}

const allTraffic = (): Rule => ({ id: newId('sgr'), protocol: '-1', cidrIpv4: '0.0.0.0/0' });

/**
 * The groups of a region. Every VPC gets its 'default' group when it is created, and a deleted VPC's
 * default group goes with it (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
 */
function state(region: Region): GroupState {
  seedRegion(region);
  return region.slot<GroupState>('ec2.securityGroups', () => ({
    seq: sequence(),
    groups: new Map(),
    defaults: new Map(),
  }));
}

onVpcCreated((scope, vpc) => {
  const st = state(scope.region);
  const id = newId('sg');
  st.groups.set(id, {
    seq: st.seq.next(),
    id,
    name: 'default',
    description: 'default VPC security group',
    vpcId: vpc.id,
    ingress: [{ id: newId('sgr'), protocol: '-1', groupId: id }],
    egress: [allTraffic()],
  });
  st.defaults.set(vpc.id, id);
});

onVpcDeleted((scope, vpc) => {
  const st = state(scope.region);
  const id = st.defaults.get(vpc.id);
  if (id === undefined) return;
  st.groups.delete(id);
  st.defaults.delete(vpc.id);
  dropTags(scope.region, id);
});

/** Every group of the region (the security-group-rules family reads and edits their rules). */
export const allGroups = (region: Region): Iterable<GroupRecord> => state(region).groups.values();

export function findGroup(region: Region, id: string): GroupRecord {
  if (!isWellFormedId('sg', id)) throw groupMalformed(id);
  const g = state(region).groups.get(id);
  if (!g) throw groupNotFound(id);
  return g;
}

/** GroupName parameters name a group in the default VPC. */
export function findGroupByName(
  region: Region,
  name: string,
  vpcId = network(region).defaultVpcId,
): GroupRecord {
  for (const g of state(region).groups.values()) if (g.vpcId === vpcId && g.name === name) return g;
  throw groupNotFound(name, vpcId);
}

export function defaultGroupOf(region: Region, vpcId: string): GroupRecord {
  return findGroup(region, state(region).defaults.get(vpcId)!);
}

export function normalizeProtocol(p: string | undefined): string {
  const v = (p ?? '').toLowerCase();
  const byNumber: Record<string, string> = {
    '6': 'tcp',
    '17': 'udp',
    '1': 'icmp',
    '58': 'icmpv6',
    all: '-1',
  };
  const out = byNumber[v] ?? v;
  if (!out) throw missingParameter('IpProtocol');
  if (!['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(out) && !/^\d+$/.test(out))
    throw invalidParameterValue(`Invalid value '${p}' for IP protocol. Unknown protocol.`);
  return out;
}

/** One rule per peer of each IpPermission: that is how EC2 counts and names rules (sgr-…). */
function expand(region: Region, vpcId: string, perms: readonly IpPermission[]): Omit<Rule, 'id'>[] {
  const out: Omit<Rule, 'id'>[] = [];
  for (const p of perms) {
    const protocol = normalizeProtocol(p.IpProtocol);
    const ported = protocol === 'tcp' || protocol === 'udp' || protocol === 'icmp' || protocol === 'icmpv6';
    if ((protocol === 'tcp' || protocol === 'udp') && (p.FromPort === undefined || p.ToPort === undefined))
      throw invalidParameterValue(
        `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`,
      );
    const base = { protocol, from: ported ? p.FromPort : undefined, to: ported ? p.ToPort : undefined };
    for (const r of p.IpRanges ?? []) out.push({ ...base, cidrIpv4: r.CidrIp, description: r.Description });
    for (const r of p.Ipv6Ranges ?? [])
      out.push({ ...base, cidrIpv6: r.CidrIpv6, description: r.Description });
    for (const r of p.PrefixListIds ?? [])
      out.push({ ...base, prefixListId: r.PrefixListId, description: r.Description });
    for (const r of p.UserIdGroupPairs ?? []) {
      const peer = r.GroupId
        ? findGroup(region, r.GroupId)
        : r.GroupName
          ? findGroupByName(region, r.GroupName, vpcId)
          : undefined;
      if (!peer) throw missingParameter('GroupId');
      out.push({ ...base, groupId: peer.id, description: r.Description });
    }
  }
  return out;
}

const peerOf = (r: Omit<Rule, 'id'>) => r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.groupId ?? '';
export const ruleKey = (r: Omit<Rule, 'id'>) => `${r.protocol}|${r.from ?? ''}|${r.to ?? ''}|${peerOf(r)}`;
const ruleText = (r: Omit<Rule, 'id'>) =>
  `peer: ${peerOf(r)}, ${r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase()}, from port: ${r.from ?? 'None'}, to port: ${r.to ?? 'None'}, ALLOW`;

/** Rules grouped back into IpPermissions by protocol and port range, as DescribeSecurityGroups writes them. */
function permissions(rules: readonly Rule[], region: Region): IpPermission[] {
  const byRange = new Map<string, IpPermission>();
  for (const r of rules) {
    const k = `${r.protocol}|${r.from ?? ''}|${r.to ?? ''}`;
    let p = byRange.get(k);
    if (!p) {
      p = {
        IpProtocol: r.protocol,
        FromPort: r.from,
        ToPort: r.to,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byRange.set(k, p);
    }
    if (r.cidrIpv4) p.IpRanges!.push({ CidrIp: r.cidrIpv4, Description: r.description });
    if (r.cidrIpv6) p.Ipv6Ranges!.push({ CidrIpv6: r.cidrIpv6, Description: r.description });
    if (r.prefixListId) p.PrefixListIds!.push({ PrefixListId: r.prefixListId, Description: r.description });
    if (r.groupId)
      p.UserIdGroupPairs!.push({ GroupId: r.groupId, UserId: region.accountId, Description: r.description });
  }
  return [...byRange.values()];
}

function groupShape(region: Region, g: GroupRecord): SecurityGroup {
  return {
    GroupId: g.id,
    GroupName: g.name,
    Description: g.description,
    VpcId: g.vpcId,
    OwnerId: region.accountId,
    IpPermissions: permissions(g.ingress, region),
    IpPermissionsEgress: permissions(g.egress, region),
    SecurityGroupArn: `arn:aws:ec2:${region.name}:${region.accountId}:security-group/${g.id}`,
    Tags: tagsOf(region, g.id),
  };
}

export function ruleShape(region: Region, g: GroupRecord, r: Rule, egress: boolean): SecurityGroupRule {
  return {
    SecurityGroupRuleId: r.id,
    GroupId: g.id,
    GroupOwnerId: region.accountId,
    IsEgress: egress,
    IpProtocol: r.protocol,
    FromPort: r.from ?? -1,
    ToPort: r.to ?? -1,
    CidrIpv4: r.cidrIpv4,
    CidrIpv6: r.cidrIpv6,
    PrefixListId: r.prefixListId,
    ReferencedGroupInfo: r.groupId ? { GroupId: r.groupId, UserId: region.accountId } : undefined,
    Description: r.description,
    SecurityGroupRuleArn: `arn:aws:ec2:${region.name}:${region.accountId}:security-group-rule/${r.id}`,
    Tags: tagsOf(region, r.id),
  };
}

const permissionFilters = (prefix: string, rules: (g: GroupRecord) => Rule[]): FilterTable<GroupRecord> => ({
  [`${prefix}ip-permission.cidr`]: (g) => rules(g).map((r) => r.cidrIpv4),
  [`${prefix}ip-permission.ipv6-cidr`]: (g) => rules(g).map((r) => r.cidrIpv6),
  [`${prefix}ip-permission.from-port`]: (g) => rules(g).map((r) => r.from),
  [`${prefix}ip-permission.to-port`]: (g) => rules(g).map((r) => r.to),
  [`${prefix}ip-permission.protocol`]: (g) => rules(g).map((r) => r.protocol),
  [`${prefix}ip-permission.group-id`]: (g) => rules(g).map((r) => r.groupId),
  [`${prefix}ip-permission.prefix-list-id`]: (g) => rules(g).map((r) => r.prefixListId),
});

const groupFilters = (region: Region): FilterTable<GroupRecord> => ({
  'group-id': (g) => g.id,
  'group-name': (g) => g.name,
  description: (g) => g.description,
  'vpc-id': (g) => g.vpcId,
  'owner-id': () => region.accountId,
  ...permissionFilters('', (g) => g.ingress),
  ...permissionFilters('egress.', (g) => g.egress),
});

const describeSecurityGroups: Handler<
  DescribeSecurityGroupsCommandInput,
  Out<DescribeSecurityGroupsCommandOutput>
> = (input, ctx) => {
  const st = state(ctx.region);
  const tags = tagReader(ctx.region);
  const keep = compileFilters(input.Filters, groupFilters(ctx.region), (g) => tags(g.id));
  let source: Iterable<GroupRecord> = st.groups.values();
  if (input.GroupIds?.length || input.GroupNames?.length)
    source = [
      ...(input.GroupIds ?? []).map((id) => findGroup(ctx.region, id)),
      ...(input.GroupNames ?? []).map((n) => findGroupByName(ctx.region, n)),
    ].sort((a, b) => a.seq - b.seq);
  const matching = [...source].filter(keep);
  const page = paginate(matching, input, { min: 5, max: 1000 });
  return { SecurityGroups: page.items.map((g) => groupShape(ctx.region, g)), NextToken: page.nextToken };
};

const createSecurityGroup: Handler<CreateSecurityGroupCommandInput, Out<CreateSecurityGroupCommandOutput>> = (
  input,
  ctx,
) => {
  if (!input.GroupName) throw missingParameter('GroupName');
  if (!input.Description) throw missingParameter('GroupDescription');
  if (input.GroupName.length > 255)
    throw invalidParameterValue('Group name exceeds the maximum length of 255');
  if (input.GroupName.startsWith('sg-'))
    throw invalidParameterValue("Group names may not be in the format 'sg-*'.");
  if (input.GroupName === 'default')
    throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved");
  const st = state(ctx.region);
  const vpcId = input.VpcId ?? network(ctx.region).defaultVpcId;
  if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
  findVpc(ctx.region, vpcId);
  for (const g of st.groups.values())
    if (g.vpcId === vpcId && g.name === input.GroupName) throw groupDuplicate(input.GroupName, vpcId);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['security-group']);
  checkDryRun(input);
  const g: GroupRecord = {
    seq: st.seq.next(),
    id: newId('sg'),
    name: input.GroupName,
    description: input.Description,
    vpcId,
    ingress: [],
    egress: [allTraffic()],
  };
  st.groups.set(g.id, g);
  setTags(ctx.region, g.id, tags.get('security-group') ?? []);
  return {
    GroupId: g.id,
    Tags: tagsOf(ctx.region, g.id),
    SecurityGroupArn: `arn:aws:ec2:${ctx.region.name}:${ctx.region.accountId}:security-group/${g.id}`,
  };
};

export function groupOf(
  ctx: RequestContext,
  input: { GroupId?: string | undefined; GroupName?: string | undefined },
) {
  if (input.GroupId) return findGroup(ctx.region, input.GroupId);
  if (input.GroupName) return findGroupByName(ctx.region, input.GroupName);
  throw missingParameter('GroupId');
}

/** Other families say here what else keeps a group from being deleted (network interfaces use groups). */
const groupUsers: ((region: Region, now: number, groupId: string) => boolean)[] = [];
export const blockGroupDeleteWhen = (inUse: (region: Region, now: number, groupId: string) => boolean) =>
  void groupUsers.push(inUse);

const deleteSecurityGroup: Handler<DeleteSecurityGroupCommandInput, Out<DeleteSecurityGroupCommandOutput>> = (
  input,
  ctx,
) => {
  const g = groupOf(ctx, input);
  const st = state(ctx.region);
  if (st.defaults.get(g.vpcId) === g.id)
    throw new AwsError(
      'CannotDelete',
      `the specified group: "${g.id}" name: "default" cannot be deleted by a user`,
    );
  const referencing = [...st.groups.values()]
    .filter((o) => o.id !== g.id && [...o.ingress, ...o.egress].some((r) => r.groupId === g.id))
    .map((o) => o.id);
  // Another group's rule naming this one is a dependency like any other (API_DeleteSecurityGroup).
  if (referencing.length > 0) throw dependencyViolation(`resource ${g.id} has a dependent object`);
  for (const i of liveInstances(ctx.region, ctx.clock.now()))
    if (i.state !== 'terminated' && i.groupIds.includes(g.id))
      throw dependencyViolation(`resource ${g.id} has a dependent object`);
  if (groupUsers.some((inUse) => inUse(ctx.region, ctx.clock.now(), g.id)))
    throw dependencyViolation(`resource ${g.id} has a dependent object`);
  checkDryRun(input);
  st.groups.delete(g.id);
  dropTags(ctx.region, g.id);
  return { Return: true, GroupId: g.id };
};

type RuleInput = {
  GroupId?: string | undefined;
  GroupName?: string | undefined;
  IpPermissions?: IpPermission[] | undefined;
  IpProtocol?: string | undefined;
  FromPort?: number | undefined;
  ToPort?: number | undefined;
  CidrIp?: string | undefined;
  SourceSecurityGroupName?: string | undefined;
  DryRun?: boolean | undefined;
};

/** The legacy flat parameters (IpProtocol, CidrIp, SourceSecurityGroupName…) make one permission. */
function requestedRules(ctx: RequestContext, g: GroupRecord, input: RuleInput): Omit<Rule, 'id'>[] {
  const perms = [...(input.IpPermissions ?? [])];
  if (input.IpProtocol || input.CidrIp || input.SourceSecurityGroupName) {
    perms.push({
      IpProtocol: input.IpProtocol ?? '-1',
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : undefined,
      UserIdGroupPairs: input.SourceSecurityGroupName
        ? [{ GroupName: input.SourceSecurityGroupName }]
        : undefined,
    });
  }
  const rules = expand(ctx.region, g.vpcId, perms);
  if (rules.length === 0) throw missingParameter('IpPermissions');
  return rules;
}

function authorize(direction: 'ingress' | 'egress') {
  return (input: RuleInput, ctx: RequestContext) => {
    const g = groupOf(ctx, input);
    const wanted = requestedRules(ctx, g, input);
    const have = new Set(g[direction].map(ruleKey));
    for (const r of wanted) {
      if (have.has(ruleKey(r))) throw permissionDuplicate(ruleText(r));
      have.add(ruleKey(r));
    }
    checkDryRun(input);
    const added = wanted.map((r) => ({ ...r, id: newId('sgr') }));
    g[direction].push(...added);
    return {
      Return: true,
      SecurityGroupRules: added.map((r) => ruleShape(ctx.region, g, r, direction === 'egress')),
    };
  };
}

function revoke(direction: 'ingress' | 'egress') {
  return (input: RuleInput & { SecurityGroupRuleIds?: string[] | undefined }, ctx: RequestContext) => {
    const g = groupOf(ctx, input);
    const ids = new Set(input.SecurityGroupRuleIds ?? []);
    const keys = new Set(
      ids.size > 0 && !input.IpPermissions ? [] : requestedRules(ctx, g, input).map(ruleKey),
    );
    const remove = g[direction].filter((r) => ids.has(r.id) || keys.has(ruleKey(r)));
    if (remove.length !== keys.size + ids.size) throw permissionNotFound();
    checkDryRun(input);
    g[direction] = g[direction].filter((r) => !remove.includes(r));
    return {
      Return: true,
      RevokedSecurityGroupRules: remove.map((r) => ({
        SecurityGroupRuleId: r.id,
        GroupId: g.id,
        IsEgress: direction === 'egress',
        IpProtocol: r.protocol,
        FromPort: r.from,
        ToPort: r.to,
        CidrIpv4: r.cidrIpv4,
        CidrIpv6: r.cidrIpv6,
      })),
    };
  };
}

const describeSecurityGroupRules: Handler<
  DescribeSecurityGroupRulesCommandInput,
  Out<DescribeSecurityGroupRulesCommandOutput>
> = (input, ctx) => {
  type Row = { seq: number; g: GroupRecord; r: Rule; egress: boolean };
  const tags = tagReader(ctx.region);
  const keep = compileFilters<Row>(
    input.Filters,
    { 'group-id': (x) => x.g.id, 'security-group-rule-id': (x) => x.r.id },
    (x) => tags(x.r.id),
  );
  const wanted = input.SecurityGroupRuleIds?.length ? new Set(input.SecurityGroupRuleIds) : undefined;
  const rows: Row[] = [];
  let seq = 0;
  for (const g of state(ctx.region).groups.values())
    for (const [list, egress] of [
      [g.ingress, false],
      [g.egress, true],
    ] as const)
      for (const r of list) {
        const row = { seq: ++seq, g, r, egress };
        if ((!wanted || wanted.has(r.id)) && keep(row)) rows.push(row);
      }
  for (const id of wanted ?? [])
    if (!rows.some((x) => x.r.id === id))
      throw new AwsError(
        'InvalidSecurityGroupRuleId.NotFound',
        `The security group rule ID '${id}' does not exist`,
      );
  const page = paginate(rows, input, { min: 5, max: 1000 });
  return {
    SecurityGroupRules: page.items.map((x) => ruleShape(ctx.region, x.g, x.r, x.egress)),
    NextToken: page.nextToken,
  };
};

registerTaggable('sg', { resourceType: 'security-group', check: (region, id) => void findGroup(region, id) });
vpcs.blockedBy('security groups', (scope, vpc) =>
  [...state(scope.region).groups.values()].some((g) => g.vpcId === vpc.id && g.name !== 'default'),
);

export const securityGroupHandlers: HandlerMap = {
  CreateSecurityGroup: createSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
  DeleteSecurityGroup: deleteSecurityGroup,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  AuthorizeSecurityGroupIngress: authorize('ingress') as Handler<
    AuthorizeSecurityGroupIngressCommandInput,
    Out<AuthorizeSecurityGroupIngressCommandOutput>
  >,
  AuthorizeSecurityGroupEgress: authorize('egress') as Handler<
    AuthorizeSecurityGroupEgressCommandInput,
    Out<AuthorizeSecurityGroupEgressCommandOutput>
  >,
  RevokeSecurityGroupIngress: revoke('ingress') as Handler<
    RevokeSecurityGroupIngressCommandInput,
    Out<RevokeSecurityGroupIngressCommandOutput>
  >,
  RevokeSecurityGroupEgress: revoke('egress') as Handler<
    RevokeSecurityGroupEgressCommandInput,
    Out<RevokeSecurityGroupEgressCommandOutput>
  >,
};
