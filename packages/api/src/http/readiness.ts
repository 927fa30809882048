import type { IncomingMessage, ServerResponse } from 'node:http';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../core/aws-clients';

export interface Readiness {
  ready: boolean;
  /** Why not, in a few words (no secrets: the error's name and message only). */
  detail: string;
}

export interface ReadinessProbe {
  check(): Promise<Readiness>;
}

/**
 * Whether the upstream answers: a DescribeRegions with DryRun. AWS answers DryRunOperation when
 * permitted and UnauthorizedOperation when not; either is an AWS answer, so the endpoint is reachable.
 * A 5xx, a network error or no answer within `timeoutMs` is not. Cached for `cacheMs`, so probes from
 * a load balancer do not become upstream load.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonParameters.html (DryRun)
 */
export function createReadinessProbe(
  aws: AwsClients,
  opts: { timeoutMs?: number; cacheMs?: number; now?: () => number } = {},
): ReadinessProbe {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const cacheMs = opts.cacheMs ?? 5_000;
  const now = opts.now ?? (() => performance.now());
  let cached: { at: number; value: Promise<Readiness> } | undefined;

  async function probe(): Promise<Readiness> {
    try {
      await aws
        .ec2(aws.defaultRegion)
        .send(new DescribeRegionsCommand({ DryRun: true }), { abortSignal: AbortSignal.timeout(timeoutMs) });
      return { ready: true, detail: 'upstream answered' };
    } catch (e) {
      const err = e as {
        name?: string;
        message?: string;
        $fault?: string;
        $metadata?: { httpStatusCode?: number };
      };
      const status = err.$metadata?.httpStatusCode ?? 0;
      if (err.$fault && status > 0 && status < 500)
        return { ready: true, detail: `upstream answered ${err.name}` };
      return {
        ready: false,
        detail: `upstream unreachable: ${err.name ?? 'Error'}: ${err.message ?? ''}`.trim(),
      };
    }
  }

  return {
    check() {
      const t = now();
      if (!cached || t - cached.at >= cacheMs) cached = { at: t, value: probe() };
      return cached.value;
    },
  };
}

/** GET /readyz: 200 when the upstream answers, 503 otherwise, with a small JSON body. */
export function readyzHandler(probe: ReadinessProbe) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const r = await probe.check();
    res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: r.ready ? 'ready' : 'unavailable', detail: r.detail }));
  };
}
