import type {
  Address,
  AllocateAddressCommandInput,
  AllocateAddressCommandOutput,
  AssociateAddressCommandInput,
  AssociateAddressCommandOutput,
  DescribeAddressesCommandInput,
  DescribeAddressesCommandOutput,
  DisassociateAddressCommandInput,
  DisassociateAddressCommandOutput,
  ReleaseAddressCommandInput,
  ReleaseAddressCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  addressNotFound,
  allocationNotFound,
  associationNotFound,
  checkDryRun,
  incorrectInstanceState,
  instanceNotFound,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { newId, sequence } from './ids';
import { findInstanceRecord, type InstanceRecord, instanceState } from './instance-state';
import { resolveInstances } from './instances';
import { allocatePublicIp } from './network-state';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';

/**
 * Elastic IP addresses (VPC domain). An association follows its instance: when the instance is
 * terminated the address is free again, as in AWS.
 */
export interface AddressRecord {
  seq: number;
  allocationId: string;
  publicIp: string;
  association?: { id: string; instanceId: string } | undefined;
  /** The reverse-DNS name set with ModifyAddressAttribute (address-attributes.ts). */
  ptr?: string | undefined;
}

interface AddressState {
  seq: ReturnType<typeof sequence>;
  byId: Map<string, AddressRecord>;
}

/** The region's addresses, in allocation order. */
export const allAddresses = (region: Region): Iterable<AddressRecord> => state(region).byId.values();

const state = (region: Region) =>
  region.slot<AddressState>('ec2.addresses', () => ({ seq: sequence(), byId: new Map() }));

function associatedInstance(region: Region, a: AddressRecord, now: number): InstanceRecord | undefined {
  if (!a.association) return undefined;
  const inst = findInstanceRecord(region, a.association.instanceId, now);
  if (inst && inst.state !== 'terminated' && inst.state !== 'shutting-down') return inst;
  if (inst) inst.elasticIp = undefined;
  a.association = undefined;
  return undefined;
}

/** What another family (NAT gateways) holds an allocation with; it shows as the address's association. */
export interface AddressUse {
  associationId: string;
  networkInterfaceId: string;
  privateIp: string;
}
type AddressUser = (region: Region, allocationId: string, now: number) => AddressUse | undefined;
const users: AddressUser[] = [];
export const registerAddressUser = (user: AddressUser) => void users.push(user);
const useOf = (region: Region, allocationId: string, now: number) => {
  for (const u of users) {
    const use = u(region, allocationId, now);
    if (use) return use;
  }
  return undefined;
};

/** The allocation for another family to take: it must exist and be free (Resource.AlreadyAssociated). */
export function takeableAllocation(
  region: Region,
  id: string,
  now: number,
): { allocationId: string; publicIp: string } {
  const a = findAllocation(region, id);
  if (associatedInstance(region, a, now) || useOf(region, id, now))
    throw new AwsError('Resource.AlreadyAssociated', `Elastic IP address ${id} is already associated`);
  return { allocationId: a.allocationId, publicIp: a.publicIp };
}

export function findAllocation(region: Region, id: string): AddressRecord {
  const a = state(region).byId.get(id);
  if (!a) throw allocationNotFound(id);
  return a;
}

function byPublicIp(region: Region, ip: string): AddressRecord {
  for (const a of state(region).byId.values()) if (a.publicIp === ip) return a;
  throw addressNotFound(ip);
}

function shape(region: Region, a: AddressRecord, now: number): Address {
  const inst = associatedInstance(region, a, now);
  const use = inst ? undefined : useOf(region, a.allocationId, now);
  if (use)
    return {
      AllocationId: a.allocationId,
      PublicIp: a.publicIp,
      Domain: 'vpc',
      PublicIpv4Pool: 'amazon',
      NetworkBorderGroup: region.name,
      AssociationId: use.associationId,
      NetworkInterfaceId: use.networkInterfaceId,
      NetworkInterfaceOwnerId: region.accountId,
      PrivateIpAddress: use.privateIp,
      Tags: tagsOf(region, a.allocationId),
    };
  return {
    AllocationId: a.allocationId,
    PublicIp: a.publicIp,
    Domain: 'vpc',
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: region.name,
    AssociationId: inst ? a.association?.id : undefined,
    InstanceId: inst?.id,
    NetworkInterfaceId: inst?.eniId,
    NetworkInterfaceOwnerId: inst ? region.accountId : undefined,
    PrivateIpAddress: inst?.privateIp,
    Tags: tagsOf(region, a.allocationId),
  };
}

const allocateAddress: Handler<AllocateAddressCommandInput, Out<AllocateAddressCommandOutput>> = (
  input,
  ctx,
) => {
  if (input.Domain && input.Domain !== 'vpc')
    throw invalidParameterValue(`Invalid value '${input.Domain}' for domain.`);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['elastic-ip']);
  checkDryRun(input);
  const st = state(ctx.region);
  const a: AddressRecord = {
    seq: st.seq.next(),
    allocationId: newId('eipalloc'),
    publicIp: allocatePublicIp(ctx.region),
  };
  st.byId.set(a.allocationId, a);
  setTags(ctx.region, a.allocationId, tags.get('elastic-ip') ?? []);
  return {
    AllocationId: a.allocationId,
    PublicIp: a.publicIp,
    Domain: 'vpc',
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: ctx.region.name,
  };
};

const associateAddress: Handler<AssociateAddressCommandInput, Out<AssociateAddressCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const a = input.AllocationId
    ? findAllocation(ctx.region, input.AllocationId)
    : input.PublicIp
      ? byPublicIp(ctx.region, input.PublicIp)
      : undefined;
  if (!a) throw missingParameter('AllocationId');
  let inst: InstanceRecord | undefined;
  if (input.InstanceId) [inst] = resolveInstances(ctx.region, [input.InstanceId], now);
  else if (input.NetworkInterfaceId) {
    for (const r of instanceState(ctx.region).byId.values())
      if (r.eniId === input.NetworkInterfaceId) inst = r;
    if (!inst)
      throw new AwsError(
        'InvalidNetworkInterfaceID.NotFound',
        `The networkInterface ID '${input.NetworkInterfaceId}' does not exist`,
      );
  } else throw missingParameter('InstanceId');
  if (!inst) throw instanceNotFound([input.InstanceId ?? '']);
  if (inst.state !== 'running' && inst.state !== 'stopped' && inst.state !== 'stopping')
    throw incorrectInstanceState(`The instance '${inst.id}' is not in a valid state for this operation.`);
  if (useOf(ctx.region, a.allocationId, now))
    throw new AwsError('Resource.AlreadyAssociated', `resource ${a.allocationId} is already associated`);
  const current = associatedInstance(ctx.region, a, now);
  if (current && input.AllowReassociation === false)
    throw new AwsError(
      'Resource.AlreadyAssociated',
      `resource ${a.allocationId} is already associated with associate-id ${a.association!.id}`,
    );
  checkDryRun(input);
  if (current) current.elasticIp = undefined;
  // An instance holds one Elastic IP on its primary interface; a new one replaces the old.
  for (const other of state(ctx.region).byId.values())
    if (other !== a && other.association?.instanceId === inst.id) other.association = undefined;
  a.association = { id: newId('eipassoc'), instanceId: inst.id };
  inst.elasticIp = a.publicIp;
  return { AssociationId: a.association.id };
};

const disassociateAddress: Handler<DisassociateAddressCommandInput, Out<DisassociateAddressCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  let a: AddressRecord | undefined;
  if (input.AssociationId) {
    for (const x of state(ctx.region).byId.values()) if (x.association?.id === input.AssociationId) a = x;
    if (!a || !associatedInstance(ctx.region, a, now)) throw associationNotFound(input.AssociationId);
  } else if (input.PublicIp) a = byPublicIp(ctx.region, input.PublicIp);
  else throw missingParameter('AssociationId');
  checkDryRun(input);
  const inst = associatedInstance(ctx.region, a, now);
  if (inst) inst.elasticIp = undefined;
  a.association = undefined;
  return {};
};

const releaseAddress: Handler<ReleaseAddressCommandInput, Out<ReleaseAddressCommandOutput>> = (
  input,
  ctx,
) => {
  const a = input.AllocationId
    ? findAllocation(ctx.region, input.AllocationId)
    : input.PublicIp
      ? byPublicIp(ctx.region, input.PublicIp)
      : undefined;
  if (!a) throw missingParameter('AllocationId');
  if (
    associatedInstance(ctx.region, a, ctx.clock.now()) ||
    useOf(ctx.region, a.allocationId, ctx.clock.now())
  )
    throw new AwsError('InvalidIPAddress.InUse', 'Address is in use.');
  checkDryRun(input);
  state(ctx.region).byId.delete(a.allocationId);
  dropTags(ctx.region, a.allocationId);
  return {};
};

const describeAddresses: Handler<DescribeAddressesCommandInput, Out<DescribeAddressesCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const tags = tagReader(ctx.region);
  const filters: FilterTable<Address> = {
    'allocation-id': (a) => a.AllocationId,
    'association-id': (a) => a.AssociationId,
    domain: (a) => a.Domain,
    'instance-id': (a) => a.InstanceId,
    'network-interface-id': (a) => a.NetworkInterfaceId,
    'network-interface-owner-id': (a) => a.NetworkInterfaceOwnerId,
    'network-border-group': (a) => a.NetworkBorderGroup,
    'private-ip-address': (a) => a.PrivateIpAddress,
    'public-ip': (a) => a.PublicIp,
  };
  const keep = compileFilters<Address>(input.Filters, filters, (a) => tags(a.AllocationId!));
  for (const id of input.AllocationIds ?? []) findAllocation(ctx.region, id);
  for (const ip of input.PublicIps ?? []) byPublicIp(ctx.region, ip);
  const all = [...state(ctx.region).byId.values()]
    .filter(
      (a) =>
        (!input.AllocationIds?.length || input.AllocationIds.includes(a.allocationId)) &&
        (!input.PublicIps?.length || input.PublicIps.includes(a.publicIp)),
    )
    .map((a) => shape(ctx.region, a, now))
    .filter(keep);
  return { Addresses: all };
};

registerTaggable('eipalloc', {
  resourceType: 'elastic-ip',
  check: (region, id) => void findAllocation(region, id),
});

export const addressHandlers: HandlerMap = {
  AllocateAddress: allocateAddress,
  AssociateAddress: associateAddress,
  DisassociateAddress: disassociateAddress,
  ReleaseAddress: releaseAddress,
  DescribeAddresses: describeAddresses,
};
