import type {
  DescribeSecurityGroupReferencesCommandInput,
  DescribeSecurityGroupReferencesCommandOutput,
  GetSecurityGroupsForVpcCommandInput,
  GetSecurityGroupsForVpcCommandOutput,
  IpPermission,
  ModifySecurityGroupRulesCommandInput,
  ModifySecurityGroupRulesCommandOutput,
  SecurityGroupForVpc,
  UpdateSecurityGroupRuleDescriptionsEgressCommandInput,
  UpdateSecurityGroupRuleDescriptionsEgressCommandOutput,
  UpdateSecurityGroupRuleDescriptionsIngressCommandInput,
  UpdateSecurityGroupRuleDescriptionsIngressCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, RequestContext } from '../../core/types';
import {
  checkDryRun,
  invalidParameterValue,
  missingParameter,
  permissionDuplicate,
  permissionNotFound,
} from './errors';
import { compileFilters } from './filters';
import { paginate } from './paging';
import {
  allGroups,
  findGroup,
  type GroupRecord,
  groupOf,
  normalizeProtocol,
  type Rule,
  ruleKey,
} from './security-groups';
import { tagReader } from './tags';
import { peerings } from './vpc-peering-connections';
import { vpcs } from './vpcs';

/**
 * Security-group rules by their ids: modify a rule in place, update descriptions, and the reads
 * around groups (which groups reference a group across peering, a VPC's groups).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySecurityGroupRules.html
 */

const ruleNotFound = (id: string) =>
  new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);

function ruleIn(g: GroupRecord, id: string): { rule: Rule; egress: boolean } {
  const i = g.ingress.find((r) => r.id === id);
  if (i) return { rule: i, egress: false };
  const e = g.egress.find((r) => r.id === id);
  if (e) return { rule: e, egress: true };
  throw ruleNotFound(id);
}

/** Every update is checked (the rule exists, the new one is valid and not a duplicate) before any applies. */
const modifySecurityGroupRules: Handler<
  ModifySecurityGroupRulesCommandInput,
  Out<ModifySecurityGroupRulesCommandOutput>
> = (input, ctx) => {
  if (!input.GroupId) throw missingParameter('GroupId');
  const g = findGroup(ctx.region, input.GroupId);
  if (!input.SecurityGroupRules?.length) throw missingParameter('SecurityGroupRule');
  const planned = input.SecurityGroupRules.map((u) => {
    if (!u.SecurityGroupRuleId) throw missingParameter('SecurityGroupRule.SecurityGroupRuleId');
    const { rule, egress } = ruleIn(g, u.SecurityGroupRuleId);
    const r = u.SecurityGroupRule;
    if (!r) throw missingParameter('SecurityGroupRule.SecurityGroupRule');
    const peers = [r.CidrIpv4, r.CidrIpv6, r.PrefixListId, r.ReferencedGroupId].filter(
      (x) => x !== undefined,
    );
    if (peers.length !== 1)
      throw invalidParameterValue(
        'A rule needs exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId.',
      );
    if (r.ReferencedGroupId) findGroup(ctx.region, r.ReferencedGroupId);
    const protocol = normalizeProtocol(r.IpProtocol);
    const ported = ['tcp', 'udp', 'icmp', 'icmpv6'].includes(protocol);
    const next: Rule = {
      id: rule.id,
      protocol,
      from: ported ? r.FromPort : undefined,
      to: ported ? r.ToPort : undefined,
      cidrIpv4: r.CidrIpv4,
      cidrIpv6: r.CidrIpv6,
      prefixListId: r.PrefixListId,
      groupId: r.ReferencedGroupId,
      description: r.Description,
    };
    return { list: egress ? g.egress : g.ingress, rule, next };
  });
  // The rules as they would be after every update: no two may be the same rule.
  for (const list of [g.ingress, g.egress]) {
    const after = list.map((r) => planned.find((p) => p.rule === r)?.next ?? r);
    const seen = new Set<string>();
    for (const r of after) {
      if (seen.has(ruleKey(r))) throw permissionDuplicate(ruleKey(r));
      seen.add(ruleKey(r));
    }
  }
  checkDryRun(input);
  for (const p of planned) p.list[p.list.indexOf(p.rule)] = p.next;
  return { Return: true };
};

/** Descriptions by rule id, or by IpPermissions naming existing rules (the older form). */
function updateDescriptions(direction: 'ingress' | 'egress') {
  return (
    input:
      | UpdateSecurityGroupRuleDescriptionsIngressCommandInput
      | UpdateSecurityGroupRuleDescriptionsEgressCommandInput,
    ctx: RequestContext,
  ) => {
    const g = groupOf(ctx, input);
    const list = g[direction];
    const updates: { rule: Rule; description: string | undefined }[] = [];
    for (const d of input.SecurityGroupRuleDescriptions ?? []) {
      const rule = list.find((r) => r.id === d.SecurityGroupRuleId);
      if (!rule) throw ruleNotFound(d.SecurityGroupRuleId ?? '');
      updates.push({ rule, description: d.Description });
    }
    for (const p of input.IpPermissions ?? [])
      for (const u of permissionUpdates(ctx, g, list, p)) updates.push(u);
    if (updates.length === 0) throw missingParameter('IpPermissions');
    checkDryRun(input);
    for (const u of updates) u.rule.description = u.description;
    return { Return: true };
  };
}

function permissionUpdates(ctx: RequestContext, g: GroupRecord, list: Rule[], p: IpPermission) {
  const protocol = normalizeProtocol(p.IpProtocol);
  const ported = ['tcp', 'udp', 'icmp', 'icmpv6'].includes(protocol);
  const base = { protocol, from: ported ? p.FromPort : undefined, to: ported ? p.ToPort : undefined };
  const peers = [
    ...(p.IpRanges ?? []).map((r) => ({ ...base, cidrIpv4: r.CidrIp, description: r.Description })),
    ...(p.Ipv6Ranges ?? []).map((r) => ({ ...base, cidrIpv6: r.CidrIpv6, description: r.Description })),
    ...(p.PrefixListIds ?? []).map((r) => ({
      ...base,
      prefixListId: r.PrefixListId,
      description: r.Description,
    })),
    ...(p.UserIdGroupPairs ?? []).map((r) => ({
      ...base,
      groupId:
        r.GroupId ??
        (r.GroupName
          ? [...allGroups(ctx.region)].find((o) => o.vpcId === g.vpcId && o.name === r.GroupName)?.id
          : undefined),
      description: r.Description,
    })),
  ];
  return peers.map((peer) => {
    const rule = list.find((r) => ruleKey(r) === ruleKey(peer));
    if (!rule) throw permissionNotFound();
    return { rule, description: peer.description };
  });
}

/** Groups in peered VPCs whose rules name these groups. */
const describeSecurityGroupReferences: Handler<
  DescribeSecurityGroupReferencesCommandInput,
  Out<DescribeSecurityGroupReferencesCommandOutput>
> = (input, ctx) => {
  if (!input.GroupId?.length) throw missingParameter('GroupId');
  const wanted = input.GroupId.map((id) => findGroup(ctx.region, id));
  checkDryRun(input);
  const groups = [...allGroups(ctx.region)];
  const out = [];
  for (const w of wanted)
    for (const p of peerings.list(ctx)) {
      if (p.state !== 'active') continue;
      const other =
        p.requesterVpcId === w.vpcId
          ? p.accepterVpcId
          : p.accepterVpcId === w.vpcId
            ? p.requesterVpcId
            : undefined;
      if (!other) continue;
      const refers = groups.some(
        (o) => o.vpcId === other && [...o.ingress, ...o.egress].some((r) => r.groupId === w.id),
      );
      if (refers) out.push({ GroupId: w.id, ReferencingVpcId: other, VpcPeeringConnectionId: p.id });
    }
  return { SecurityGroupReferenceSet: out };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetSecurityGroupsForVpc.html */
const getSecurityGroupsForVpc: Handler<
  GetSecurityGroupsForVpcCommandInput,
  Out<GetSecurityGroupsForVpcCommandOutput>
> = (input, ctx) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  const tags = tagReader(ctx.region);
  const keep = compileFilters<SecurityGroupForVpc>(
    input.Filters,
    {
      'group-id': (g) => g.GroupId,
      description: (g) => g.Description,
      'group-name': (g) => g.GroupName,
      'owner-id': (g) => g.OwnerId,
      'primary-vpc-id': (g) => g.PrimaryVpcId,
    },
    (g) => tags(g.GroupId!),
  );
  const rows = [...allGroups(ctx.region)]
    .filter((g) => g.vpcId === vpc.id)
    .map((g) => ({
      seq: g.seq,
      x: {
        GroupId: g.id,
        GroupName: g.name,
        Description: g.description,
        OwnerId: ctx.region.accountId,
        PrimaryVpcId: g.vpcId,
        Tags: tags(g.id),
      } satisfies SecurityGroupForVpc,
    }))
    .filter((r) => keep(r.x));
  const page = paginate(rows, input, { min: 5, max: 1000 });
  checkDryRun(input);
  return { SecurityGroupForVpcs: page.items.map((r) => r.x), NextToken: page.nextToken };
};

export const securityGroupRuleHandlers: HandlerMap = {
  ModifySecurityGroupRules: modifySecurityGroupRules,
  UpdateSecurityGroupRuleDescriptionsIngress: updateDescriptions('ingress') as Handler<
    UpdateSecurityGroupRuleDescriptionsIngressCommandInput,
    Out<UpdateSecurityGroupRuleDescriptionsIngressCommandOutput>
  >,
  UpdateSecurityGroupRuleDescriptionsEgress: updateDescriptions('egress') as Handler<
    UpdateSecurityGroupRuleDescriptionsEgressCommandInput,
    Out<UpdateSecurityGroupRuleDescriptionsEgressCommandOutput>
  >,
  DescribeSecurityGroupReferences: describeSecurityGroupReferences,
  GetSecurityGroupsForVpc: getSecurityGroupsForVpc,
};
