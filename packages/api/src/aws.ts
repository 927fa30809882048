import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';

/** SDK clients, created on first use and cached per region. */
export interface AwsClients {
  ec2(region: string): EC2Client;
  elb(region: string): ElasticLoadBalancingClient;
  /** The default region (AWS_REGION, or the --region flag). */
  readonly defaultRegion: string;
}
