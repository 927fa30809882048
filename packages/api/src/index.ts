/** @aws-trpc/api: the typed tRPC gateway for AWS EC2 and Classic ELB. */
export type { GatewayConfig, ServeConfig, StaticCredentials } from './config';
export type { GatewayErrorData } from './errors';
export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  type RunningGateway,
  type StartGatewayOptions,
  startGateway,
} from './gateway';
export type { AppRouter } from './router';
