/**
 * @aws-trpc/client: the typed gateway client (`createClient`), boto3-style resources over it
 * (`resources`), paginators, typed AWS errors and the idempotent-retry links.
 */

export type { AppRouter } from '@aws-trpc/api';
export { Collection } from './collections';
export { type CreateClientOptions, createClient, type GatewayClient } from './create-client';
export type { AwsErrorClassification, AwsErrorCode, AwsErrorData } from './errors';
export { type AwsError, awsErrorOf, classifyError, isAwsError } from './errors';
export type * from './events';
export { idempotencyLink, idempotencyLinks, type RetryOptions } from './idempotency';
export { type GatewayLinkOptions, gatewayLinks, type HeadersOption, regionRoutingLink } from './links';
export { type Paginated, type PaginateOptions, paginate, paginateOperation } from './paginate';
export type { BatchOptions, BatchResult, PlanResult } from './resources/batch';
export type { Ec2Resources } from './resources/ec2';
export type { ElbResources, LoadBalancerCollection } from './resources/elb';
export { Image } from './resources/image';
export { type AwsResources, resources, resourcesOver } from './resources/index';
export { Instance } from './resources/instance';
export type { InstanceCollection } from './resources/instance-collection';
export { KeyPair } from './resources/key-pair';
export { LoadBalancer } from './resources/load-balancer';
export { ResourceNotFoundError } from './resources/not-found';
export { Reservation } from './resources/reservation';
export { ResourceNotLoadedError } from './resources/resource';
export { SecurityGroup } from './resources/security-group';
export type {
  ImageCollection,
  KeyPairCollection,
  SecurityGroupCollection,
  SubnetCollection,
  VolumeCollection,
  VpcCollection,
} from './resources/simple-collections';
export { Subnet } from './resources/subnet';
export { Volume } from './resources/volume';
export { Vpc } from './resources/vpc';
export { WaiterError, type WaiterSuccess, type WaitOptions } from './resources/waiter';
export type { Ec2Input, Ec2Output, Ec2Procedure, ElbInput, ElbOutput, ElbProcedure } from './service-types';
export type { AwsTransport } from './transport';
