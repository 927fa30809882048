import type { Observability } from '../observability/observability';
import type { Security } from '../security/security';
import type { AwsClients } from './aws-clients';
import type { SharedStore } from './redis';

/**
 * The long-lived pieces of one gateway, created once by createGateway and reached by every procedure
 * through the context. Each concern owns its field; add a field here rather than a module global.
 */
export interface GatewayDeps {
  aws: AwsClients;
  /** Tokens, limits, audit (security/security.ts). Absent: anonymous caller, default limits, audit to the log. */
  security?: Security;
  /** Logger and metrics (observability/). Absent: a silent logger and private metrics. */
  observability?: Observability;
  /** Instance-state sources shared by subscriptions and waiters (source/registry.ts). Absent: created on first use. */
  streams?: import('../source/registry').StreamRegistry;
  /** Redis, when replicas share it (`--redis-url`): the event logs, the readers' leases, the limits. */
  shared?: SharedStore;
}
