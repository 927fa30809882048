import type {
  AddressAttribute,
  DescribeAddressesAttributeCommandInput,
  DescribeAddressesAttributeCommandOutput,
  ModifyAddressAttributeCommandInput,
  ModifyAddressAttributeCommandOutput,
  ResetAddressAttributeCommandInput,
  ResetAddressAttributeCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { type AddressRecord, allAddresses, findAllocation } from './addresses';
import { checkDryRun, invalidParameterValue, missingParameter } from './errors';
import { paginate } from './paging';

/**
 * The reverse-DNS (PTR) record of an Elastic IP: AWS's default name until ModifyAddressAttribute sets
 * a domain name (which must resolve forward to the address; the emulator takes that as given), and
 * back to the default with ResetAddressAttribute.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html#Using_Elastic_Addressing_Reverse_DNS
 */
const defaultPtr = (region: Region, ip: string) =>
  `ec2-${ip.replace(/\./g, '-')}.${region.name === 'us-east-1' ? 'compute-1' : `${region.name}.compute`}.amazonaws.com.`;

const shape = (region: Region, a: AddressRecord): AddressAttribute => ({
  PublicIp: a.publicIp,
  AllocationId: a.allocationId,
  PtrRecord: a.ptr ?? defaultPtr(region, a.publicIp),
});

const describe: Handler<
  DescribeAddressesAttributeCommandInput,
  Out<DescribeAddressesAttributeCommandOutput>
> = (input, ctx) => {
  if (input.Attribute !== undefined && input.Attribute !== 'domain-name')
    throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
  const list = input.AllocationIds?.length
    ? input.AllocationIds.map((id) => findAllocation(ctx.region, id))
    : [...allAddresses(ctx.region)];
  const page = paginate(list, input, { min: 1, max: 1000 });
  checkDryRun(input);
  return { Addresses: page.items.map((a) => shape(ctx.region, a)), NextToken: page.nextToken };
};

/** A domain name of up to 253 characters, in labels of letters, digits and hyphens. */
const DOMAIN = /^(?=.{1,253}\.?$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/;

const modify: Handler<ModifyAddressAttributeCommandInput, Out<ModifyAddressAttributeCommandOutput>> = (
  input,
  ctx,
) => {
  if (!input.AllocationId) throw missingParameter('AllocationId');
  const a = findAllocation(ctx.region, input.AllocationId);
  if (!input.DomainName) throw missingParameter('DomainName');
  if (!DOMAIN.test(input.DomainName))
    throw invalidParameterValue(`Value (${input.DomainName}) for parameter domainName is invalid.`);
  checkDryRun(input);
  a.ptr = input.DomainName.endsWith('.') ? input.DomainName : `${input.DomainName}.`;
  return { Address: { ...shape(ctx.region, a), PtrRecordUpdate: { Value: a.ptr, Status: 'PENDING' } } };
};

const reset: Handler<ResetAddressAttributeCommandInput, Out<ResetAddressAttributeCommandOutput>> = (
  input,
  ctx,
) => {
  if (!input.AllocationId) throw missingParameter('AllocationId');
  const a = findAllocation(ctx.region, input.AllocationId);
  if (input.Attribute !== 'domain-name')
    throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
  checkDryRun(input);
  a.ptr = undefined;
  return {
    Address: {
      ...shape(ctx.region, a),
      PtrRecordUpdate: { Value: defaultPtr(ctx.region, a.publicIp), Status: 'PENDING' },
    },
  };
};

export const addressAttributeHandlers: HandlerMap = {
  DescribeAddressesAttribute: describe,
  ModifyAddressAttribute: modify,
  ResetAddressAttribute: reset,
};
