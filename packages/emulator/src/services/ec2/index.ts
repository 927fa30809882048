import type { Handler, HandlerMap } from '../../core/types';
import { accountAttributeHandlers } from './account-attributes';
import { addressHandlers } from './addresses';
import { capacityReservationHandlers } from './capacity-reservations';
import { creditSpecificationHandlers } from './credit-specifications';
import { dedicatedHostHandlers } from './dedicated-hosts';
import { iamInstanceProfileHandlers } from './iam-instance-profiles';
import { instanceEventWindowHandlers } from './instance-event-windows';
import { instanceMetadataOptionHandlers } from './instance-metadata-options';
import { instanceMonitoringHandlers } from './instance-monitoring';
import { instanceTypeOfferingHandlers } from './instance-type-offerings';
import './default-vpc';
import { ebsDefaultHandlers } from './ebs-defaults';
import { checkDryRun } from './errors';
import { fleetHandlers } from './fleets';
import { imageAttributeHandlers } from './image-attributes';
import { imageHandlers } from './images';
import { instanceAttributeHandlers } from './instance-attributes';
import { instanceStatusHandlers } from './instance-status';
import { instanceTypeHandlers } from './instance-types';
import { instanceHandlers } from './instances';
import { internetGatewayHandlers } from './internet-gateways';
import { keyPairHandlers } from './key-pairs';
import { launchTemplateHandlers } from './launch-templates';
import { networkInterfaceHandlers } from './network-interfaces';
import { placementGroupHandlers } from './placement-groups';
import { securityGroupHandlers } from './security-groups';
import { serialConsoleHandlers } from './serial-console';
import { snapshotHandlers } from './snapshots';
import { spotInstanceHandlers } from './spot-instances';
import { subnetHandlers } from './subnets';
import { tagHandlers } from './tags';
import { volumeModificationHandlers } from './volume-modifications';
import { volumeStatusHandlers } from './volume-status';
import { volumeHandlers } from './volumes';
import { vpcHandlers } from './vpcs';
import { zoneRegionHandlers } from './zones-regions';

/**
 * Read-only actions take DryRun too: AWS validates the request and answers DryRunOperation
 * instead of the result. (Mutating handlers check it themselves, before they change anything.)
 */
function withReadDryRun(handlers: HandlerMap): HandlerMap {
  const out: HandlerMap = {};
  for (const [action, handler] of Object.entries(handlers)) {
    const read = /^(Describe|Get)/.test(action);
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
  ...tagHandlers,
  ...volumeHandlers,
  ...addressHandlers,
  ...networkInterfaceHandlers,
  ...launchTemplateHandlers,
  ...snapshotHandlers,
  ...ebsDefaultHandlers,
  ...accountAttributeHandlers,
  ...creditSpecificationHandlers,
  ...instanceTypeOfferingHandlers,
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
