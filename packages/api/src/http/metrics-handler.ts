import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from '../observability/metrics';

/** GET /metrics in the Prometheus text format. */
export function metricsHandler(metrics: GatewayMetrics) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(body);
  };
}
