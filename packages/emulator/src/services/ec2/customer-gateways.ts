import type {
  CreateCustomerGatewayCommandInput,
  CreateCustomerGatewayCommandOutput,
  CustomerGateway,
  DeleteCustomerGatewayCommandInput,
  DeleteCustomerGatewayCommandOutput,
  DescribeCustomerGatewaysCommandInput,
  DescribeCustomerGatewaysCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { ipToInt } from './cidr';
import { checkDryRun, idErrors, incorrectState, invalidParameterValue, missingParameter } from './errors';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  type Scope,
  settleLifecycle,
} from './resource-family';

/**
 * Customer gateways: the on-premises side of a Site-to-Site VPN. Creating one with the IP address and
 * ASN of an existing one answers that one (AWS's idempotency for this action). Deleted gateways stay
 * listed as `deleted` for an hour.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateCustomerGateway.html
 */
export interface CustomerGatewayRecord
  extends ResourceRecord,
    Lifecycle<'pending' | 'available' | 'deleting' | 'deleted'> {
  ipAddress: string;
  bgpAsn: number;
  deviceName?: string | undefined;
}

const HOUR = 60 * 60_000;

export const customerGateways = defineFamily<CustomerGatewayRecord, CustomerGateway>({
  prefix: 'cgw',
  resourceType: 'customer-gateway',
  errors: idErrors({
    notFound: 'InvalidCustomerGatewayID.NotFound',
    malformed: 'InvalidCustomerGatewayId.Malformed',
    noun: 'customerGateway',
    prefix: 'cgw',
  }),
  settle: settleLifecycle,
  shape: (g, view) => ({
    CustomerGatewayId: g.id,
    State: g.state,
    Type: 'ipsec.1',
    IpAddress: g.ipAddress,
    BgpAsn: String(g.bgpAsn),
    DeviceName: g.deviceName,
    Tags: view.tags(g.id),
  }),
  filters: () => ({
    'customer-gateway-id': (g) => g.id,
    'bgp-asn': (g) => g.bgpAsn,
    'ip-address': (g) => g.ipAddress,
    state: (g) => g.state,
    type: () => 'ipsec.1',
  }),
});

/** Whether a VPN connection still uses a gateway (the VPN connections family says). */
let inUse: (scope: Scope, g: CustomerGatewayRecord) => boolean = () => false;
export const customerGatewayInUseWhen = (rule: typeof inUse) => {
  inUse = rule;
};

const createCustomerGateway: Handler<
  CreateCustomerGatewayCommandInput,
  Out<CreateCustomerGatewayCommandOutput>
> = (input, ctx) => {
  if (input.Type !== 'ipsec.1')
    throw invalidParameterValue(`Value (${input.Type}) for parameter type is invalid.`);
  const ip = input.IpAddress ?? input.PublicIp;
  if (!ip) throw missingParameter('IpAddress');
  if (ipToInt(ip) === undefined)
    throw invalidParameterValue(`Value (${ip}) for parameter ipAddress is invalid.`);
  const asn = input.BgpAsnExtended ?? input.BgpAsn ?? 65000;
  if (!Number.isInteger(asn) || asn < 1 || asn > 4294967294)
    throw invalidParameterValue(`Value (${asn}) for parameter bgpAsn is invalid.`);
  const same = customerGateways
    .list(ctx)
    .find((g) => g.ipAddress === ip && g.bgpAsn === asn && g.state === 'available');
  if (same) {
    checkDryRun(input);
    return { CustomerGateway: customerGateways.shape(ctx, same) };
  }
  const g = customerGateways.create(ctx, input, () => ({
    ipAddress: ip,
    bgpAsn: asn,
    deviceName: input.DeviceName,
    state: 'available',
  }));
  return { CustomerGateway: customerGateways.shape(ctx, g) };
};

const deleteCustomerGateway: Handler<
  DeleteCustomerGatewayCommandInput,
  Out<DeleteCustomerGatewayCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  const g = customerGateways.get(ctx, input.CustomerGatewayId, 'CustomerGatewayId');
  if (g.state === 'deleted' || g.state === 'deleting') throw customerGateways.spec.errors.notFound([g.id]);
  if (inUse(ctx, g)) throw incorrectState(`The customer gateway ${g.id} is in use by a VPN connection.`);
  checkDryRun(input);
  moveTo(g, now, 'deleted', { state: 'deleted', delay: 0, visibleFor: HOUR });
  return {};
};

export const customerGatewayHandlers: HandlerMap = {
  CreateCustomerGateway: createCustomerGateway,
  DeleteCustomerGateway: deleteCustomerGateway,
  DescribeCustomerGateways: customerGateways.describeHandler(
    (i: DescribeCustomerGatewaysCommandInput) => i.CustomerGatewayIds,
    'CustomerGateways',
  ) satisfies Handler<DescribeCustomerGatewaysCommandInput, Out<DescribeCustomerGatewaysCommandOutput>>,
};
