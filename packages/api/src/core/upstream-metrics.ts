import type { GatewayMetrics } from '../observability/metrics';
import type { AwsClients } from './aws-clients';

const instrumented = new WeakSet<object>();

/**
 * Adds the upstream-call metrics to the SDK client a call is about to use, once per client. Clients
 * are cached per region by AwsClients, so the pollers of streams, which use the same clients, are
 * counted too.
 */
export function instrumentUpstream(
  metrics: GatewayMetrics,
  aws: AwsClients,
  service: 'ec2' | 'elb',
  region: string,
): void {
  const client = aws[service](region);
  if (instrumented.has(client)) return;
  instrumented.add(client);
  metrics.instrumentClient(client, service);
}
