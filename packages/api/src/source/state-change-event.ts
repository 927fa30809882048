import { z } from 'zod';
import type { Observation } from './instance-hub';

/**
 * EventBridge's `EC2 Instance State-change Notification`, as an SQS message body (a rule's target
 * without an input transformer receives the event itself).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html
 */
const stateChangeEvent = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('EC2 Instance State-change Notification'),
  source: z.literal('aws.ec2'),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  detail: z.object({
    'instance-id': z.string().regex(/^i-[0-9a-f]+$/),
    state: z.enum(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']),
  }),
});

export interface StateChangeNotification {
  /** The event's id: SQS delivers at least once, so the same id may come twice. */
  id: string;
  region: string;
  observation: Observation;
}

/** The notification a message body holds, or undefined for anything else (another rule's event, junk). */
export function parseStateChange(body: string | undefined): StateChangeNotification | undefined {
  if (!body) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = stateChangeEvent.safeParse(json);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  return {
    id: e.id,
    region: e.region,
    observation: { instanceId: e.detail['instance-id'], state: e.detail.state, at: Date.parse(e.time) },
  };
}
