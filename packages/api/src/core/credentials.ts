import type { AwsClients } from './aws-clients';
import { toTrpcError } from './errors';

/**
 * Resolves the credentials a service's client of `region` signs with, or throws what a call would have
 * thrown without them (SERVICE_UNAVAILABLE naming the cause), so a subscription or waiter fails at
 * once instead of retrying until its timeout.
 */
export async function requireCredentials(
  aws: AwsClients,
  service: 'ec2' | 'elb',
  region: string,
  operation: string,
): Promise<void> {
  try {
    await aws[service](region).config.credentials();
  } catch (error) {
    throw toTrpcError(error, { service, operation, region, endpoint: aws.endpointOf(service, region) });
  }
}
