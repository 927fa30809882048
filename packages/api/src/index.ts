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
export { createObservability, type Observability } from './observability/observability';
export type { AppRouter } from './router';
export type { AuthFile } from './security/authFile';
export { createSecurity, type Security, type SecurityOptions } from './security/security';
export {
  createStreamRegistry,
  realScheduler,
  type Scheduler,
  type StreamRegistry,
  type StreamRegistryOptions,
  type VirtualScheduler,
  virtualScheduler,
} from './streams';
export type { Whoami } from './whoami';
