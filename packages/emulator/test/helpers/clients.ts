import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';

/** The unmodified SDK clients, pointed at an emulator with throwaway credentials. */
export function clientsFor(url: string, options: { region?: string; maxAttempts?: number } = {}) {
  const config = {
    region: options.region ?? 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: options.maxAttempts ?? 3,
  };
  return { ec2: new EC2Client(config), elb: new ElasticLoadBalancingClient(config) };
}
