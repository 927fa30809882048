/**
 * The few gateway pieces the demo needs that @aws-trpc/api does not export yet.
 * TODO(api): export createStreamRegistry, realScheduler and virtualScheduler from @aws-trpc/api (or a
 * `clock` gateway option), merge the stream procedures in router.ts, and ship a fetch-based
 * EventSource for Node.js 20 from @aws-trpc/client; then this file goes away.
 */

// TODO(api): an `auth`/`authFile` option on createGateway, as `aws-trpc serve --auth-file` will need too.
export { createObservability } from '../../../packages/api/src/observability/observability';
export type { AuthFile } from '../../../packages/api/src/security/authFile';
export { createSecurity } from '../../../packages/api/src/security/security';
export { ec2StreamProcedures, elbStreamProcedures } from '../../../packages/api/src/streams';
export { createStreamRegistry, type StreamRegistry } from '../../../packages/api/src/streams/registry';
export {
  realScheduler,
  type Scheduler,
  type VirtualScheduler,
  virtualScheduler,
} from '../../../packages/api/src/streams/scheduler';
export { FetchEventSource } from '../../../packages/api/test/streams-eventSource';
