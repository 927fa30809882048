import type { IncomingMessage, ServerResponse } from 'node:http';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../core/aws-clients';

export interface Readiness {
  /** False only when the upstream does not answer: without it no call can succeed. */
  ready: boolean;
  /** `ok`, `ok (<AWS code>)`, or `unreachable: <error>` (its name and message only, no secrets). */
  upstream: string;
  /** With Redis: `ok` or `unreachable: <error>`. Calls go on with local limits meanwhile: degraded, not down. */
  redis?: string;
}

export interface ReadinessProbe {
  check(): Promise<Readiness>;
}

/** What readiness needs of the replicas' Redis: a PING that fails at once while it is away. */
export interface PingableRedis {
  ping(): Promise<unknown>;
  /** ioredis's connection status (`ready`, `reconnecting`, …): says more than a refused command. */
  readonly status?: string;
}

const describeError = (e: unknown) => {
  const err = e as { name?: string; message?: string } | undefined;
  return `${err?.name ?? 'Error'}: ${err?.message ?? ''}`.trim();
};

/**
 * Whether the upstream answers: a DescribeRegions with DryRun. AWS answers DryRunOperation when
 * permitted and UnauthorizedOperation when not; either is an AWS answer, so the endpoint is reachable.
 * A 5xx, a network error or no answer within `timeoutMs` is not. Cached for `cacheMs`, so probes from
 * a load balancer do not become upstream load.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonParameters.html (DryRun)
 */
export function createReadinessProbe(
  aws: AwsClients,
  opts: { timeoutMs?: number; cacheMs?: number; now?: () => number; redis?: PingableRedis } = {},
): ReadinessProbe {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const cacheMs = opts.cacheMs ?? 5_000;
  const now = opts.now ?? (() => performance.now());
  let cached: { at: number; value: Promise<Pick<Readiness, 'ready' | 'upstream'>> } | undefined;

  async function probeUpstream(): Promise<Pick<Readiness, 'ready' | 'upstream'>> {
    try {
      await aws
        .ec2(aws.defaultRegion)
        .send(new DescribeRegionsCommand({ DryRun: true }), { abortSignal: AbortSignal.timeout(timeoutMs) });
      return { ready: true, upstream: 'ok' };
    } catch (e) {
      const err = e as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
      const status = err.$metadata?.httpStatusCode ?? 0;
      if (err.$fault && status > 0 && status < 500)
        return { ready: true, upstream: err.name === 'DryRunOperation' ? 'ok' : `ok (${err.name})` };
      return { ready: false, upstream: `unreachable: ${describeError(e)}` };
    }
  }

  // Not cached: a PING costs Redis nothing, and an outage should show at once.
  async function probeRedis(redis: PingableRedis): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return 'ok';
    } catch (e) {
      const status = redis.status;
      return status && status !== 'ready'
        ? `unreachable: not connected (${status})`
        : `unreachable: ${describeError(e)}`;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async check() {
      const t = now();
      if (!cached || t - cached.at >= cacheMs) cached = { at: t, value: probeUpstream() };
      const [upstream, redis] = await Promise.all([
        cached.value,
        opts.redis ? probeRedis(opts.redis) : undefined,
      ]);
      return { ...upstream, ...(redis !== undefined ? { redis } : {}) };
    },
  };
}

/**
 * GET /readyz: 503 `unavailable` when the upstream does not answer; else 200, `ready`, or `degraded`
 * while Redis is unreachable: calls still work on this replica's own limits, so a load balancer must
 * keep sending them (taking every replica out at once would turn a Redis outage into a full one).
 */
export function readyzHandler(probe: ReadinessProbe) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const r = await probe.check();
    const status = !r.ready
      ? 'unavailable'
      : r.redis !== undefined && r.redis !== 'ok'
        ? 'degraded'
        : 'ready';
    res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ status, upstream: r.upstream, ...(r.redis !== undefined ? { redis: r.redis } : {}) }),
    );
  };
}
