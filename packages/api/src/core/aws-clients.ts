import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { TRPCError } from '@trpc/server';
import { ConfigError, type GatewayConfig } from './config';
import { isKnownRegion } from './regions';

/** SDK clients, created on first use and cached per region. */
export interface AwsClients {
  ec2(region: string): EC2Client;
  elb(region: string): ElasticLoadBalancingClient;
  /** For the push source: the events queue (long polls of 20 s). */
  sqs(region: string): SQSClient;
  /** For `aws-trpc events setup`: the rule that fills the events queue. */
  eventBridge(region: string): EventBridgeClient;
  /** The default region (AWS_REGION, or the --region flag). */
  readonly defaultRegion: string;
  /** Where calls of a service go in a region, for error messages (an unreachable endpoint names it). */
  endpointOf(service: 'ec2' | 'elb', region: string): string;
  /** The regions that have an SDK client (at most the SDK's known regions). */
  cachedRegions(): readonly string[];
  /** Closes every cached client's sockets. */
  destroy(): void;
}

type Env = Record<string, string | undefined>;

/**
 * Builds the per-region client cache. Credentials, AWS_ENDPOINT_URL*, AWS_MAX_ATTEMPTS and
 * AWS_RETRY_MODE are left to the SDK, which reads them itself; only what the config sets is passed.
 */
export function createAwsClients(config: GatewayConfig, env: Env = process.env): AwsClients {
  if (!isKnownRegion(config.region)) {
    throw new ConfigError(`region '${config.region}' is not an AWS region known to the installed AWS SDK`);
  }
  const ec2Clients = new Map<string, EC2Client>();
  const elbClients = new Map<string, ElasticLoadBalancingClient>();
  const sqsClients = new Map<string, SQSClient>();
  const eventBridgeClients = new Map<string, EventBridgeClient>();

  const options = (region: string, requestTimeout = config.requestTimeoutMs) => ({
    region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.maxAttempts ? { maxAttempts: config.maxAttempts } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.connectionTimeoutMs,
      requestTimeout,
      throwOnRequestTimeout: true,
    }),
  });

  function cached<C>(map: Map<string, C>, region: string, make: () => C): C {
    let client = map.get(region);
    if (!client) {
      // The HTTP layer refuses unknown regions first; this keeps the cache bounded whoever calls.
      if (!isKnownRegion(region)) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `'${region}' is not an AWS region known to the SDK`,
        });
      }
      client = make();
      map.set(region, client);
    }
    return client;
  }

  return {
    defaultRegion: config.region,
    ec2: (region) => cached(ec2Clients, region, () => new EC2Client(options(region))),
    elb: (region) => cached(elbClients, region, () => new ElasticLoadBalancingClient(options(region))),
    // SQS answers a long poll after up to 20 s of silence: the request timeout must outlast it.
    sqs: (region) =>
      cached(
        sqsClients,
        region,
        () => new SQSClient(options(region, Math.max(config.requestTimeoutMs, 25_000))),
      ),
    eventBridge: (region) => cached(eventBridgeClients, region, () => new EventBridgeClient(options(region))),
    endpointOf(service, region) {
      // Same precedence as the SDK: explicit endpoint, service variable, global variable, AWS.
      // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
      const serviceVar =
        service === 'ec2' ? 'AWS_ENDPOINT_URL_EC2' : 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING';
      const host = service === 'ec2' ? 'ec2' : 'elasticloadbalancing';
      return (
        config.endpoint ||
        env[serviceVar] ||
        env.AWS_ENDPOINT_URL ||
        `https://${host}.${region}.amazonaws.com`
      );
    },
    cachedRegions: () => [...new Set([...ec2Clients.keys(), ...elbClients.keys()])],
    destroy() {
      for (const map of [ec2Clients, elbClients, sqsClients, eventBridgeClients]) {
        for (const c of map.values()) c.destroy();
        map.clear();
      }
    },
  };
}
