/** @aws-trpc/api: the typed tRPC gateway for AWS EC2 and Classic ELB. */
export type { GatewayConfig, ServeConfig, StaticCredentials } from './core/config';
export type { GatewayDeps } from './core/deps';
export type { GatewayErrorData } from './core/errors';
export type { ProcedureMeta } from './core/meta';
export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  type RunningGateway,
  type StartGatewayOptions,
  startGateway,
} from './gateway';
export { inputDigest } from './guard/input-digest';
export { createObservability, type Observability } from './observability/observability';
export type { Whoami } from './procedures/whoami';
export type { AppRouter } from './router';
export type { AuditRecord } from './security/audit-log';
export type { AuthFile } from './security/auth-file';
export { createSecurity, type Security, type SecurityOptions } from './security/security';
export { hashToken } from './security/token-hash';
export {
  defaultEventsName,
  type EventsQueue,
  setUpEventsQueue,
  tearDownEventsQueue,
} from './source/events-queue';
export { createStreamRegistry, type StreamRegistry, type StreamRegistryOptions } from './source/registry';
export { realScheduler, type Scheduler, type VirtualScheduler, virtualScheduler } from './time/scheduler';
