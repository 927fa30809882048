import { randomUUID } from 'node:crypto';
import { onInstanceStateEntered } from '../../core/instance-events';
import { eventTime, publish } from './bus';

/**
 * EC2 puts an `EC2 Instance State-change Notification` on the default bus for every state an instance
 * enters, at the moment it enters it.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html
 */
onInstanceStateEntered((region, entry) =>
  publish(region, {
    version: '0',
    id: randomUUID(),
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: region.accountId,
    time: eventTime(entry.time),
    region: region.name,
    resources: [`arn:aws:ec2:${region.name}:${region.accountId}:instance/${entry.instanceId}`],
    detail: { 'instance-id': entry.instanceId, state: entry.state },
  }),
);
