import type { HandlerMap } from '../../core/types';
import { attributeHandlers } from './attributes';
import { healthHandlers } from './health';
import { limitHandlers } from './limits';
import { listenerHandlers } from './listeners';
import { loadBalancerHandlers } from './load-balancers';
import { policyHandlers } from './policies';
import { tagHandlers } from './tags';
import { zoneSubnetHandlers } from './zones-subnets';

/** Every implemented Classic ELB action, keyed by its AWS action name. Each family file contributes its handlers. */
export const elbHandlers: HandlerMap = {
  ...loadBalancerHandlers,
  ...listenerHandlers,
  ...policyHandlers,
  ...attributeHandlers,
  ...tagHandlers,
  ...zoneSubnetHandlers,
  ...healthHandlers,
  ...limitHandlers,
};
