import type { HandlerMap } from '../../core/types';
import { addressHandlers } from './addresses';
import { imageHandlers } from './images';
import { instanceAttributeHandlers } from './instance-attributes';
import { instanceStatusHandlers } from './instance-status';
import { instanceTypeHandlers } from './instance-types';
import { instanceHandlers } from './instances';
import { keyPairHandlers } from './key-pairs';
import { networkHandlers } from './network';
import { securityGroupHandlers } from './security-groups';
import { tagHandlers } from './tags';
import { volumeHandlers } from './volumes';

/** Every implemented EC2 action, keyed by its AWS action name. Each family file contributes its handlers. */
export const ec2Handlers: HandlerMap = {
  ...instanceHandlers,
  ...instanceAttributeHandlers,
  ...instanceStatusHandlers,
  ...instanceTypeHandlers,
  ...imageHandlers,
  ...keyPairHandlers,
  ...securityGroupHandlers,
  ...networkHandlers,
  ...tagHandlers,
  ...volumeHandlers,
  ...addressHandlers,
};
