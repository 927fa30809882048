import type {
  CreateNetworkAclCommandInput,
  CreateNetworkAclCommandOutput,
  CreateNetworkAclEntryCommandInput,
  CreateNetworkAclEntryCommandOutput,
  DeleteNetworkAclCommandInput,
  DeleteNetworkAclCommandOutput,
  DeleteNetworkAclEntryCommandInput,
  DeleteNetworkAclEntryCommandOutput,
  DescribeNetworkAclsCommandInput,
  DescribeNetworkAclsCommandOutput,
  NetworkAcl,
  NetworkAclEntry,
  ReplaceNetworkAclAssociationCommandInput,
  ReplaceNetworkAclAssociationCommandOutput,
  ReplaceNetworkAclEntryCommandInput,
  ReplaceNetworkAclEntryCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { parseCidr, parseIpv6Cidr } from './cidr';
import {
  associationNotFound,
  checkDryRun,
  idErrors,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { newId } from './ids';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { onSubnetCreated, onSubnetDeleted } from './subnets';
import { onVpcCreated, onVpcDeleted, vpcs } from './vpcs';

/**
 * Network ACLs: a default ACL per VPC (allow all, then the `*` deny), custom ACLs that deny all until
 * given entries, numbered entries per direction, and one ACL per subnet (the default until replaced).
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 */

export interface NetworkAclRecord extends ResourceRecord {
  vpcId: string;
  isDefault: boolean;
  entries: NetworkAclEntry[];
  associations: { id: string; subnetId: string }[];
}

/** The last rule of every ACL: 32767, shown as `*`, denies what nothing else allowed. */
const LAST_RULE = 32767;
/** Rules per direction (the default quota, https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). */
const MAX_RULES = 20;

const entry = (
  egress: boolean,
  RuleNumber: number,
  RuleAction: 'allow' | 'deny',
  cidr: string,
): NetworkAclEntry =>
  cidr.includes(':')
    ? { Egress: egress, RuleNumber, RuleAction, Protocol: '-1', Ipv6CidrBlock: cidr }
    : { Egress: egress, RuleNumber, RuleAction, Protocol: '-1', CidrBlock: cidr };

function defaultEntries(isDefault: boolean, ipv6: boolean): NetworkAclEntry[] {
  const out: NetworkAclEntry[] = [];
  for (const egress of [false, true]) {
    if (isDefault) {
      out.push(entry(egress, 100, 'allow', '0.0.0.0/0'));
      if (ipv6) out.push(entry(egress, 101, 'allow', '::/0'));
    }
    out.push(entry(egress, LAST_RULE, 'deny', '0.0.0.0/0'));
    if (ipv6) out.push(entry(egress, LAST_RULE, 'deny', '::/0'));
  }
  return out;
}

const sorted = (entries: NetworkAclEntry[]) =>
  [...entries].sort((a, b) => Number(a.Egress) - Number(b.Egress) || a.RuleNumber! - b.RuleNumber!);

export const networkAcls = defineFamily<NetworkAclRecord, NetworkAcl>({
  prefix: 'acl',
  resourceType: 'network-acl',
  errors: idErrors({
    notFound: 'InvalidNetworkAclID.NotFound',
    malformed: 'InvalidNetworkAclId.Malformed',
    noun: 'networkAcl',
    prefix: 'acl',
  }),
  shape: (a, view) => ({
    NetworkAclId: a.id,
    VpcId: a.vpcId,
    IsDefault: a.isDefault,
    OwnerId: view.region.accountId,
    Entries: sorted(a.entries),
    Associations: a.associations.map((x) => ({
      NetworkAclAssociationId: x.id,
      NetworkAclId: a.id,
      SubnetId: x.subnetId,
    })),
    Tags: view.tags(a.id),
  }),
  filters: (view) => ({
    'network-acl-id': (a) => a.id,
    'vpc-id': (a) => a.vpcId,
    default: (a) => a.isDefault,
    'owner-id': () => view.region.accountId,
    'association.association-id': (a) => a.associations.map((x) => x.id),
    'association.network-acl-id': (a) => (a.associations.length ? a.id : undefined),
    'association.subnet-id': (a) => a.associations.map((x) => x.subnetId),
    'entry.cidr': (a) => a.entries.map((e) => e.CidrBlock),
    'entry.ipv6-cidr': (a) => a.entries.map((e) => e.Ipv6CidrBlock),
    'entry.egress': (a) => a.entries.map((e) => e.Egress),
    'entry.icmp.code': (a) => a.entries.map((e) => e.IcmpTypeCode?.Code),
    'entry.icmp.type': (a) => a.entries.map((e) => e.IcmpTypeCode?.Type),
    'entry.port-range.from': (a) => a.entries.map((e) => e.PortRange?.From),
    'entry.port-range.to': (a) => a.entries.map((e) => e.PortRange?.To),
    'entry.protocol': (a) => a.entries.map((e) => e.Protocol),
    'entry.rule-action': (a) => a.entries.map((e) => e.RuleAction),
    'entry.rule-number': (a) => a.entries.map((e) => e.RuleNumber),
  }),
});

const defaultAclOf = (scope: Scope, vpcId: string) =>
  networkAcls.where(scope, (a) => a.vpcId === vpcId && a.isDefault).next().value as
    | NetworkAclRecord
    | undefined;

onVpcCreated((scope, vpc) => {
  networkAcls.add(scope.region, {
    id: networkAcls.newId(),
    vpcId: vpc.id,
    isDefault: true,
    entries: defaultEntries(true, vpc.ipv6Blocks.length > 0),
    associations: [],
  });
});
onVpcDeleted((scope, vpc) => {
  const acl = defaultAclOf(scope, vpc.id);
  if (acl) networkAcls.remove(scope.region, acl);
});
// Every subnet starts with its VPC's default ACL, and leaves its association when deleted.
onSubnetCreated((scope, subnet) => {
  defaultAclOf(scope, subnet.vpcId)?.associations.push({ id: newId('aclassoc'), subnetId: subnet.id });
});
onSubnetDeleted((scope, subnet) => {
  for (const a of networkAcls.list(scope))
    a.associations = a.associations.filter((x) => x.subnetId !== subnet.id);
});
vpcs.blockedBy('network ACLs other than the default', (scope, vpc) =>
  networkAcls.list(scope).some((a) => a.vpcId === vpc.id && !a.isDefault),
);

const createNetworkAcl: Handler<CreateNetworkAclCommandInput, Out<CreateNetworkAclCommandOutput>> = (
  input,
  ctx,
) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  const acl = networkAcls.create(ctx, input, () => ({
    vpcId: vpc.id,
    isDefault: false,
    entries: defaultEntries(
      false,
      vpc.ipv6Blocks.some((b) => b.state === 'associated'),
    ),
    associations: [],
  }));
  return { NetworkAcl: networkAcls.shape(ctx, acl), ClientToken: input.ClientToken };
};

/** The default ACL cannot be deleted, nor one a subnet uses. */
const deleteNetworkAcl: Handler<DeleteNetworkAclCommandInput, Out<DeleteNetworkAclCommandOutput>> = (
  input,
  ctx,
) => {
  networkAcls.delete(ctx, input, input.NetworkAclId, 'NetworkAclId', (acl) => {
    if (acl.isDefault) throw invalidParameterValue(`cannot delete default network ACL ${acl.id}`);
  });
  return {};
};
networkAcls.blockedBy('subnet associations', (_scope, a) => a.associations.length > 0);

type EntryInput = CreateNetworkAclEntryCommandInput | ReplaceNetworkAclEntryCommandInput;

const PROTOCOLS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1' };

/** An entry as AWS stores it: protocol by number, ports for TCP/UDP, type and code for ICMP. */
function entryOf(input: EntryInput): NetworkAclEntry {
  if (input.RuleNumber === undefined) throw missingParameter('RuleNumber');
  if (input.Egress === undefined) throw missingParameter('Egress');
  if (!input.Protocol) throw missingParameter('Protocol');
  if (!input.RuleAction) throw missingParameter('RuleAction');
  if (!Number.isInteger(input.RuleNumber) || input.RuleNumber < 1 || input.RuleNumber > 32766)
    throw invalidParameterValue(
      `Value (${input.RuleNumber}) for parameter ruleNumber is invalid. Rule number must be between 1 and 32766.`,
    );
  if (input.RuleAction !== 'allow' && input.RuleAction !== 'deny')
    throw invalidParameterValue(`Value (${input.RuleAction}) for parameter ruleAction is invalid.`);
  const protocol = PROTOCOLS[input.Protocol.toLowerCase()] ?? input.Protocol;
  if (!/^(-1|\d{1,3})$/.test(protocol) || Number(protocol) > 255)
    throw invalidParameterValue(`Value (${input.Protocol}) for parameter protocol is invalid.`);
  if (!input.CidrBlock === !input.Ipv6CidrBlock)
    throw invalidParameterCombination('Exactly one of cidrBlock or ipv6CidrBlock must be given.');
  if (input.CidrBlock && !parseCidr(input.CidrBlock))
    throw invalidParameterValue(
      `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
    );
  if (input.Ipv6CidrBlock && !parseIpv6Cidr(input.Ipv6CidrBlock))
    throw invalidParameterValue(
      `Value (${input.Ipv6CidrBlock}) for parameter ipv6CidrBlock is invalid. This is not a valid CIDR block.`,
    );
  const ported = protocol === '6' || protocol === '17';
  if (ported && (input.PortRange?.From === undefined || input.PortRange?.To === undefined))
    throw missingParameter('PortRange');
  const icmp = protocol === '1' || protocol === '58';
  if (icmp && (input.IcmpTypeCode?.Type === undefined || input.IcmpTypeCode?.Code === undefined))
    throw missingParameter('IcmpTypeCode');
  return {
    RuleNumber: input.RuleNumber,
    Egress: input.Egress,
    Protocol: protocol,
    RuleAction: input.RuleAction,
    CidrBlock: input.CidrBlock,
    Ipv6CidrBlock: input.Ipv6CidrBlock,
    PortRange: ported ? { From: input.PortRange!.From, To: input.PortRange!.To } : undefined,
    IcmpTypeCode: icmp ? { Type: input.IcmpTypeCode!.Type, Code: input.IcmpTypeCode!.Code } : undefined,
  };
}

const sameRule = (a: NetworkAclEntry, b: NetworkAclEntry) =>
  a.RuleNumber === b.RuleNumber && a.Egress === b.Egress && a.RuleNumber! < LAST_RULE;

const entryExists = (n: number) =>
  new AwsError('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${n} already exists.`);
const entryNotFound = (n: number | undefined, egress: boolean | undefined) =>
  new AwsError(
    'InvalidNetworkAclEntry.NotFound',
    `The network acl entry identified by ${n} (${egress ? 'egress' : 'ingress'}) does not exist.`,
  );

const createNetworkAclEntry: Handler<
  CreateNetworkAclEntryCommandInput,
  Out<CreateNetworkAclEntryCommandOutput>
> = (input, ctx) => {
  const acl = networkAcls.get(ctx, input.NetworkAclId, 'NetworkAclId');
  const e = entryOf(input);
  if (acl.entries.some((x) => sameRule(x, e))) throw entryExists(e.RuleNumber!);
  const sameDirection = acl.entries.filter((x) => x.Egress === e.Egress && x.RuleNumber! < LAST_RULE);
  if (sameDirection.length >= MAX_RULES)
    throw new AwsError(
      'NetworkAclEntryLimitExceeded',
      `The maximum number of network acl entries has been reached.`,
    );
  checkDryRun(input);
  acl.entries.push(e);
  return {};
};

const replaceNetworkAclEntry: Handler<
  ReplaceNetworkAclEntryCommandInput,
  Out<ReplaceNetworkAclEntryCommandOutput>
> = (input, ctx) => {
  const acl = networkAcls.get(ctx, input.NetworkAclId, 'NetworkAclId');
  const e = entryOf(input);
  const i = acl.entries.findIndex((x) => sameRule(x, e));
  if (i < 0) throw entryNotFound(e.RuleNumber, e.Egress);
  checkDryRun(input);
  acl.entries[i] = e;
  return {};
};

/** The `*` rules cannot be deleted: they are the ACL's default deny. */
const deleteNetworkAclEntry: Handler<
  DeleteNetworkAclEntryCommandInput,
  Out<DeleteNetworkAclEntryCommandOutput>
> = (input, ctx) => {
  const acl = networkAcls.get(ctx, input.NetworkAclId, 'NetworkAclId');
  if (input.RuleNumber === undefined) throw missingParameter('RuleNumber');
  if (input.Egress === undefined) throw missingParameter('Egress');
  if (input.RuleNumber >= LAST_RULE)
    throw invalidParameterValue(
      `Value (${input.RuleNumber}) for parameter ruleNumber is invalid. Rule number must be between 1 and 32766.`,
    );
  const i = acl.entries.findIndex((x) => x.RuleNumber === input.RuleNumber && x.Egress === input.Egress);
  if (i < 0) throw entryNotFound(input.RuleNumber, input.Egress);
  checkDryRun(input);
  acl.entries.splice(i, 1);
  return {};
};

/** Moves a subnet's association to another ACL of its VPC, under a new association id. */
const replaceNetworkAclAssociation: Handler<
  ReplaceNetworkAclAssociationCommandInput,
  Out<ReplaceNetworkAclAssociationCommandOutput>
> = (input, ctx) => {
  if (!input.AssociationId) throw missingParameter('AssociationId');
  const to = networkAcls.get(ctx, input.NetworkAclId, 'NetworkAclId');
  let from: NetworkAclRecord | undefined;
  let association: NetworkAclRecord['associations'][number] | undefined;
  for (const a of networkAcls.list(ctx)) {
    association = a.associations.find((x) => x.id === input.AssociationId);
    if (association) {
      from = a;
      break;
    }
  }
  if (!from || !association) throw associationNotFound(input.AssociationId);
  if (from.vpcId !== to.vpcId)
    throw invalidParameterValue(
      `Network ACL ${to.id} and association ${association.id} belong to different networks`,
    );
  checkDryRun(input);
  from.associations = from.associations.filter((x) => x !== association);
  const moved = { id: newId('aclassoc'), subnetId: association.subnetId };
  to.associations.push(moved);
  return { NewAssociationId: moved.id };
};

export const networkAclHandlers: HandlerMap = {
  CreateNetworkAcl: createNetworkAcl,
  DeleteNetworkAcl: deleteNetworkAcl,
  DescribeNetworkAcls: networkAcls.describeHandler(
    (i: DescribeNetworkAclsCommandInput) => i.NetworkAclIds,
    'NetworkAcls',
  ) satisfies Handler<DescribeNetworkAclsCommandInput, Out<DescribeNetworkAclsCommandOutput>>,
  CreateNetworkAclEntry: createNetworkAclEntry,
  ReplaceNetworkAclEntry: replaceNetworkAclEntry,
  DeleteNetworkAclEntry: deleteNetworkAclEntry,
  ReplaceNetworkAclAssociation: replaceNetworkAclAssociation,
};
