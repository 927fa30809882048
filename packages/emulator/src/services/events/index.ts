import type { HandlerMap } from '../../core/types';
import './ec2-state-change';
import { putEventHandlers } from './put-events';
import { ruleHandlers } from './rules';
import { targetHandlers } from './targets';

export { type DeliveryFault, deliveriesOf, type EventStats } from './bus';

/** Every implemented EventBridge action, keyed by its AWS action name. */
export const eventsHandlers: HandlerMap = { ...ruleHandlers, ...targetHandlers, ...putEventHandlers };
