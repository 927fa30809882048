import type { Region } from '../../core/types';
import { enqueue } from './messages';
import { policyAllows } from './queue-policy';
import { queueByName } from './queue-state';

export type ServiceDelivery = 'delivered' | 'no-queue' | 'denied';

/**
 * An AWS service (EventBridge) sending a message to a queue by its ARN, as the service principal
 * `events.amazonaws.com`: only when the queue's policy allows `sqs:SendMessage`, with the request's
 * `aws:SourceArn` (the rule) and `aws:SourceAccount` for conditions. AWS drops it otherwise.
 */
export function deliverAsService(
  anyRegion: Region,
  queueArn: string,
  body: string,
  from: { service: string; sourceArn: string; senderId: string },
): ServiceDelivery {
  const m = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,80})$/.exec(queueArn);
  if (!m || m[2] !== anyRegion.accountId) return 'no-queue';
  const region = anyRegion.env.region(m[1]!);
  const queue = queueByName(region, m[3]!);
  if (!queue) return 'no-queue';
  const allowed = policyAllows(queue.attributes.get('Policy'), {
    service: from.service,
    action: 'sqs:SendMessage',
    resource: queue.arn,
    context: { 'aws:SourceArn': from.sourceArn, 'aws:SourceAccount': region.accountId },
  });
  if (!allowed) return 'denied';
  enqueue(region, queue, { body, senderId: from.senderId });
  return 'delivered';
}
