import type {
  AccountAttribute,
  DescribeAccountAttributesCommandInput,
  DescribeAccountAttributesCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { invalidParameterValue } from './errors';
import { MAX_GROUPS } from './network-interfaces';
import { network } from './network-state';

/**
 * DescribeAccountAttributes: what tools (Terraform, the CLI's wizards) read before they launch
 * anything. The values are a new account's defaults
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAccountAttributes.html).
 */
const ATTRIBUTES: Record<string, (region: Region) => string[]> = {
  'supported-platforms': () => ['VPC'],
  'default-vpc': (region) => [network(region).defaultVpcId || 'none'],
  'max-instances': () => ['20'],
  'vpc-max-security-groups-per-interface': () => [String(MAX_GROUPS)],
  'max-elastic-ips': () => ['5'],
  'vpc-max-elastic-ips': () => ['5'],
};

const describeAccountAttributes: Handler<
  DescribeAccountAttributesCommandInput,
  Out<DescribeAccountAttributesCommandOutput>
> = (input, ctx) => {
  const names = input.AttributeNames?.length ? [...input.AttributeNames] : Object.keys(ATTRIBUTES);
  for (const n of names)
    if (!Object.hasOwn(ATTRIBUTES, n))
      throw invalidParameterValue(`Value (${n}) for parameter attributeName is invalid. Unknown attribute.`);
  const AccountAttributes: AccountAttribute[] = names.map((AttributeName) => ({
    AttributeName,
    AttributeValues: ATTRIBUTES[AttributeName]!(ctx.region).map((AttributeValue) => ({ AttributeValue })),
  }));
  return { AccountAttributes };
};

export const accountAttributeHandlers: HandlerMap = { DescribeAccountAttributes: describeAccountAttributes };
