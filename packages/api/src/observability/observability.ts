import { createLogger, type Logger } from './logger';
import { createMetrics, type GatewayMetrics } from './metrics';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

export function createObservability(opts: Parameters<typeof createLogger>[0] = {}): Observability {
  return { logger: createLogger(opts), metrics: createMetrics() };
}
