import type { HandlerMap } from '../../core/types';
import { messageHandlers } from './messages';
import { queueHandlers } from './queues';

export { deliverAsService, type ServiceDelivery } from './service-delivery';
export { type QueueSnapshot, sqsSnapshot } from './snapshot';

/** Every implemented SQS action, keyed by its AWS action name. */
export const sqsHandlers: HandlerMap = { ...queueHandlers, ...messageHandlers };
