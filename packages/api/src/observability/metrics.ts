import { classifyAwsError } from '@aws-trpc/shared';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What an SDK client exposes for instrumentation (both services' clients have it). */
interface InstrumentableClient {
  middlewareStack: {
    add(mw: any, opts: { step: 'deserialize'; priority: 'high'; name: string; override?: boolean }): void;
  };
}

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways can share a process,
 * as in tests). Served on /metrics by `metricsHandler`.
 */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** One finished query or mutation. */
  request(procedure: string, kind: string, outcome: string, seconds: number): void;
  /** A call the gateway itself refused for exceeding a limit. */
  throttled(reason: 'rate' | 'subscriptions' | 'in-flight-bytes' | 'waiter-rate'): void;
  /** A call that used this replica's own limits because Redis failed (`what`: rate, subscriptions). */
  sharedStoreFallback(what: string): void;
  subscriberOpened(procedure: string): void;
  subscriberClosed(procedure: string): void;
  /** For the state sources of streams: the current state of the poller of a region. */
  pollerState(region: string, state: string): void;
  /** Counts every HTTP attempt an SDK client makes (retries included) and its outcome. */
  instrumentClient(client: InstrumentableClient, service: 'ec2' | 'elb'): void;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'aws_trpc_requests_total',
    help: 'Gateway calls by procedure, kind and outcome (ok or the tRPC error code)',
    labelNames: ['procedure', 'kind', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'aws_trpc_request_duration_seconds',
    help: 'Gateway call latency by procedure and kind',
    labelNames: ['procedure', 'kind'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstream = new Counter({
    name: 'aws_trpc_upstream_calls_total',
    help: 'HTTP attempts to AWS by service, operation and outcome (ok, or the AWS error code, or network)',
    labelNames: ['service', 'operation', 'outcome'],
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: 'aws_trpc_upstream_errors_total',
    help: 'Failed HTTP attempts to AWS by service and error code',
    labelNames: ['service', 'code'],
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'aws_trpc_throttled_total',
    help: 'Throttling: by the gateway (rate, subscriptions) or by AWS (upstream)',
    labelNames: ['source', 'reason'],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'aws_trpc_shared_store_fallback_total',
    help: "Calls that used this replica's own limits because Redis failed, by what (rate, subscriptions)",
    labelNames: ['what'],
    registers: [registry],
  });
  const subscribers = new Gauge({
    name: 'aws_trpc_subscribers',
    help: 'Open subscriptions (streams and waiters) by procedure',
    labelNames: ['procedure'],
    registers: [registry],
  });
  const poller = new Gauge({
    name: 'aws_trpc_poller_state',
    help: 'State of each region poller: 1 for its current state, 0 for the others',
    labelNames: ['region', 'state'],
    registers: [registry],
  });
  const lastPollerState = new Map<string, string>();

  return {
    registry,
    request(procedure, kind, outcome, seconds) {
      requests.inc({ procedure, kind, outcome });
      duration.observe({ procedure, kind }, seconds);
    },
    throttled: (reason) => throttled.inc({ source: 'gateway', reason }),
    sharedStoreFallback: (what) => fallbacks.inc({ what }),
    subscriberOpened: (procedure) => subscribers.inc({ procedure }),
    subscriberClosed: (procedure) => subscribers.dec({ procedure }),
    pollerState(region, state) {
      const previous = lastPollerState.get(region);
      if (previous !== undefined && previous !== state) poller.set({ region, state: previous }, 0);
      poller.set({ region, state }, 1);
      lastPollerState.set(region, state);
    },
    instrumentClient(client, service) {
      // The deserialize step runs once per HTTP attempt, inside the SDK's retry loop; high priority puts
      // this outside the deserializer, so AWS errors arrive here parsed.
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
          async (args: unknown) => {
            const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
            try {
              const out = await next(args);
              upstream.inc({ service, operation, outcome: 'ok' });
              return out;
            } catch (e) {
              const err = e as { name?: string; $fault?: string };
              const code = err.$fault ? (err.name ?? 'unknown') : 'network';
              upstream.inc({ service, operation, outcome: code });
              upstreamErrors.inc({ service, code });
              if (classifyAwsError(code) === 'throttling')
                throttled.inc({ source: 'upstream', reason: code });
              throw e;
            }
          },
        { step: 'deserialize', priority: 'high', name: 'awsTrpcUpstreamMetrics', override: true },
      );
    },
  };
}
