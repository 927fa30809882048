import type {
  AssociateDhcpOptionsCommandInput,
  AssociateDhcpOptionsCommandOutput,
  CreateDhcpOptionsCommandInput,
  CreateDhcpOptionsCommandOutput,
  DeleteDhcpOptionsCommandInput,
  DeleteDhcpOptionsCommandOutput,
  DescribeDhcpOptionsCommandInput,
  DescribeDhcpOptionsCommandOutput,
  DhcpOptions,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun, idErrors, invalidParameterValue, missingParameter } from './errors';
import { regionDomainName } from './network-state';
import { defineFamily, type ResourceRecord, scopeAt } from './resource-family';
import { useDefaultDhcpOptions, vpcs } from './vpcs';

/**
 * DHCP options sets. Each region has a default set (its domain name and AmazonProvidedDNS) that new
 * VPCs use; `AssociateDhcpOptions` with `default` leaves a VPC with none.
 * https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSet.html
 */
export interface DhcpOptionsRecord extends ResourceRecord {
  configurations: { Key: string; Values: string[] }[];
  regionDefault: boolean;
}

export const dhcpOptions = defineFamily<DhcpOptionsRecord, DhcpOptions>({
  prefix: 'dopt',
  resourceType: 'dhcp-options',
  errors: idErrors({
    notFound: 'InvalidDhcpOptionID.NotFound',
    malformed: 'InvalidDhcpOptionsId.Malformed',
    noun: 'dhcpOption',
    prefix: 'dopt',
  }),
  shape: (d, view) => ({
    DhcpOptionsId: d.id,
    OwnerId: view.region.accountId,
    DhcpConfigurations: d.configurations.map((c) => ({
      Key: c.Key,
      Values: c.Values.map((Value) => ({ Value })),
    })),
    Tags: view.tags(d.id),
  }),
  filters: (view) => ({
    'dhcp-options-id': (d) => d.id,
    key: (d) => d.configurations.map((c) => c.Key),
    value: (d) => d.configurations.flatMap((c) => c.Values),
    'owner-id': () => view.region.accountId,
  }),
});

/** The region's default set, made on first need (the default VPC's creation asks for it). */
function regionDefault(region: Region): string {
  const scope = scopeAt(region, 0);
  const found = dhcpOptions.where(scope, (d) => d.regionDefault).next().value as
    | DhcpOptionsRecord
    | undefined;
  if (found) return found.id;
  return dhcpOptions.add(region, {
    id: dhcpOptions.newId(),
    regionDefault: true,
    configurations: [
      { Key: 'domain-name', Values: [regionDomainName(region.name)] },
      { Key: 'domain-name-servers', Values: ['AmazonProvidedDNS'] },
    ],
  }).id;
}
useDefaultDhcpOptions(regionDefault);

/** The keys and how many values each takes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NewDhcpConfiguration.html). */
const KEYS: Record<string, number> = {
  'domain-name': 1,
  'domain-name-servers': 4,
  'ntp-servers': 4,
  'netbios-name-servers': 4,
  'netbios-node-type': 1,
  'ipv6-address-preferred-lease-time': 1,
};

const createDhcpOptions: Handler<CreateDhcpOptionsCommandInput, Out<CreateDhcpOptionsCommandOutput>> = (
  input,
  ctx,
) => {
  const configs = input.DhcpConfigurations ?? [];
  if (configs.length === 0) throw missingParameter('DhcpConfiguration');
  const seen = new Set<string>();
  const configurations = configs.map((c) => {
    const key = c.Key;
    if (!key) throw missingParameter('DhcpConfiguration.Key');
    const max = KEYS[key];
    if (max === undefined)
      throw invalidParameterValue(`Value (${key}) for parameter key is invalid. Unknown key.`);
    if (seen.has(key)) throw invalidParameterValue(`Duplicate DhcpConfiguration key: ${key}`);
    seen.add(key);
    const values = c.Values ?? [];
    if (values.length === 0) throw missingParameter(`DhcpConfiguration.Value`);
    if (values.length > max)
      throw invalidParameterValue(
        `Value (${values.join(',')}) for parameter ${key} is invalid. Too many values.`,
      );
    if (key === 'netbios-node-type' && !['1', '2', '4', '8'].includes(values[0]!))
      throw invalidParameterValue(`Value (${values[0]}) for parameter netbios-node-type is invalid.`);
    return { Key: key, Values: [...values] };
  });
  const d = dhcpOptions.create(ctx, input, () => ({ configurations, regionDefault: false }));
  return { DhcpOptions: dhcpOptions.shape(ctx, d) };
};

/** A set a VPC uses cannot be deleted. */
const deleteDhcpOptions: Handler<DeleteDhcpOptionsCommandInput, Out<DeleteDhcpOptionsCommandOutput>> = (
  input,
  ctx,
) => {
  dhcpOptions.delete(ctx, input, input.DhcpOptionsId, 'DhcpOptionsId');
  return {};
};
dhcpOptions.blockedBy('VPCs', (scope, d) => vpcs.list(scope).some((v) => v.dhcpOptionsId === d.id));

const associateDhcpOptions: Handler<
  AssociateDhcpOptionsCommandInput,
  Out<AssociateDhcpOptionsCommandOutput>
> = (input, ctx) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (!input.DhcpOptionsId) throw missingParameter('DhcpOptionsId');
  const id = input.DhcpOptionsId === 'default' ? 'default' : dhcpOptions.get(ctx, input.DhcpOptionsId).id;
  checkDryRun(input);
  vpc.dhcpOptionsId = id;
  return {};
};

export const dhcpOptionsHandlers: HandlerMap = {
  CreateDhcpOptions: createDhcpOptions,
  DeleteDhcpOptions: deleteDhcpOptions,
  DescribeDhcpOptions: dhcpOptions.describeHandler(
    (i: DescribeDhcpOptionsCommandInput) => i.DhcpOptionsIds,
    'DhcpOptions',
  ) satisfies Handler<DescribeDhcpOptionsCommandInput, Out<DescribeDhcpOptionsCommandOutput>>,
  AssociateDhcpOptions: associateDhcpOptions,
};
