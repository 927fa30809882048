import type { GatewayClient } from '../create-client';
import { type AwsTransport, transportFromClient } from '../transport';
import { type Ec2Resources, ec2Resources } from './ec2';
import { type ElbResources, elbResources } from './elb';

export interface AwsResources {
  ec2: Ec2Resources;
  elb: ElbResources;
}

/** boto3-style resources over a gateway client: `const { ec2, elb } = resources(createClient({ url }))`. */
export function resources(client: GatewayClient): AwsResources {
  return resourcesOver(transportFromClient(client));
}

/** The same resources over any AwsTransport. */
export function resourcesOver(aws: AwsTransport): AwsResources {
  return { ec2: ec2Resources(aws), elb: elbResources(aws) };
}
