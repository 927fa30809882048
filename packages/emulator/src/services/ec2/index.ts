import { findOperation } from '@aws-trpc/shared';
import type { Handler, HandlerMap } from '../../core/types';
import { accountAttributeHandlers } from './account-attributes';
import { addressAttributeHandlers } from './address-attributes';
import { addressHandlers } from './addresses';
import { capacityReservationHandlers } from './capacity-reservations';
import { carrierGatewayHandlers } from './carrier-gateways';
import { creditSpecificationHandlers } from './credit-specifications';
import { customerGatewayHandlers } from './customer-gateways';
import { dedicatedHostHandlers } from './dedicated-hosts';
import { defaultVpcHandlers } from './default-vpc';
import { dhcpOptionsHandlers } from './dhcp-options';
import { ebsDefaultHandlers } from './ebs-defaults';
import { egressOnlyInternetGatewayHandlers } from './egress-only-internet-gateways';
import { checkDryRun } from './errors';
import { fleetHandlers } from './fleets';
import { flowLogHandlers } from './flow-logs';
import { iamInstanceProfileHandlers } from './iam-instance-profiles';
import { imageAttributeHandlers } from './image-attributes';
import { imageHandlers } from './images';
import { instanceAttributeHandlers } from './instance-attributes';
import { instanceEventWindowHandlers } from './instance-event-windows';
import { instanceMetadataOptionHandlers } from './instance-metadata-options';
import { instanceMonitoringHandlers } from './instance-monitoring';
import { instanceStatusHandlers } from './instance-status';
import { instanceTypeHandlers } from './instance-types';
import { instanceHandlers } from './instances';
import { internetGatewayHandlers } from './internet-gateways';
import { keyPairHandlers } from './key-pairs';
import { launchTemplateHandlers } from './launch-templates';
import { natGatewayHandlers } from './nat-gateways';
import { networkAclHandlers } from './network-acls';
import { networkInterfaceHandlers } from './network-interfaces';
import { placementGroupHandlers } from './placement-groups';
import { prefixListHandlers } from './prefix-lists';
import { routeTableHandlers } from './route-tables';
import { securityGroupRuleHandlers } from './security-group-rules';
import { securityGroupHandlers } from './security-groups';
import { serialConsoleHandlers } from './serial-console';
import { snapshotHandlers } from './snapshots';
import { spotInstanceHandlers } from './spot-instances';
import { subnetCidrReservationHandlers } from './subnet-cidr-reservations';
import { subnetHandlers } from './subnets';
import { tagHandlers } from './tags';
import { transitGatewayAttachmentHandlers } from './transit-gateway-attachments';
import { transitGatewayRouteTableHandlers } from './transit-gateway-route-tables';
import { transitGatewayHandlers } from './transit-gateways';
import { volumeModificationHandlers } from './volume-modifications';
import { volumeStatusHandlers } from './volume-status';
import { volumeHandlers } from './volumes';
import { vpcEndpointHandlers } from './vpc-endpoints';
import { vpcPeeringHandlers } from './vpc-peering-connections';
import { vpcHandlers } from './vpcs';
import { vpnConnectionHandlers } from './vpn-connections';
import { vpnGatewayHandlers } from './vpn-gateways';
import { zoneRegionHandlers } from './zones-regions';

/**
 * Read-only actions take DryRun too: AWS validates the request and answers DryRunOperation
 * instead of the result. (Mutating handlers check it themselves, before they change anything.)
 */
function withReadDryRun(handlers: HandlerMap): HandlerMap {
  const out: HandlerMap = {};
  for (const [action, handler] of Object.entries(handlers)) {
    const read = findOperation('ec2', action)?.kind === 'query';
    out[action] = read
      ? ((async (input, ctx) => {
          const result = await handler(input, ctx);
          checkDryRun(input ?? {});
          return result;
        }) satisfies Handler)
      : handler;
  }
  return out;
}

/** Every implemented EC2 action, keyed by its AWS action name. Each family file contributes its handlers. */
export const ec2Handlers: HandlerMap = withReadDryRun({
  ...instanceHandlers,
  ...instanceAttributeHandlers,
  ...instanceStatusHandlers,
  ...instanceTypeHandlers,
  ...imageHandlers,
  ...keyPairHandlers,
  ...securityGroupHandlers,
  ...vpcHandlers,
  ...subnetHandlers,
  ...zoneRegionHandlers,
  ...internetGatewayHandlers,
  ...routeTableHandlers,
  ...networkAclHandlers,
  ...dhcpOptionsHandlers,
  ...egressOnlyInternetGatewayHandlers,
  ...natGatewayHandlers,
  ...prefixListHandlers,
  ...vpcEndpointHandlers,
  ...vpcPeeringHandlers,
  ...customerGatewayHandlers,
  ...vpnGatewayHandlers,
  ...vpnConnectionHandlers,
  ...carrierGatewayHandlers,
  ...flowLogHandlers,
  ...subnetCidrReservationHandlers,
  ...securityGroupRuleHandlers,
  ...addressAttributeHandlers,
  ...defaultVpcHandlers,
  ...transitGatewayHandlers,
  ...transitGatewayAttachmentHandlers,
  ...transitGatewayRouteTableHandlers,
  ...tagHandlers,
  ...volumeHandlers,
  ...addressHandlers,
  ...networkInterfaceHandlers,
  ...launchTemplateHandlers,
  ...snapshotHandlers,
  ...ebsDefaultHandlers,
  ...accountAttributeHandlers,
  ...creditSpecificationHandlers,
  ...instanceMetadataOptionHandlers,
  ...iamInstanceProfileHandlers,
  ...dedicatedHostHandlers,
  ...placementGroupHandlers,
  ...volumeModificationHandlers,
  ...volumeStatusHandlers,
  ...serialConsoleHandlers,
  ...instanceMonitoringHandlers,
  ...spotInstanceHandlers,
  ...fleetHandlers,
  ...capacityReservationHandlers,
  ...imageAttributeHandlers,
  ...instanceEventWindowHandlers,
});
