import type { AwsClients } from './aws';

/**
 * The long-lived pieces of one gateway, created once by createGateway and reached by every procedure
 * through the context. Each concern owns its field; add a field here rather than a module global.
 */
export interface GatewayDeps {
  aws: AwsClients;
}
