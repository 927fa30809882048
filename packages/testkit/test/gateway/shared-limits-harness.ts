import { type AuthFile, hashToken } from '@aws-trpc/api';

/** Tokens of the shared-limits tests: small limits, so a handful of calls spends them. */
export const limitTokens = {
  /** 2/s, burst 4: one request back every 500 ms, a margin a loaded test machine keeps. */
  slow: 'atrpc_limits-slow',
  /** 5/s, burst 4. */
  other: 'atrpc_limits-other',
  fallback: 'atrpc_limits-fallback',
  /** 10/s, burst 10 (N = 10), one per phase of the replicas test so each starts with a full bucket. */
  tenA: 'atrpc_limits-ten-a',
  tenB: 'atrpc_limits-ten-b',
  tenC: 'atrpc_limits-ten-c',
  /** At most 2 open subscriptions. */
  streamer: 'atrpc_limits-streamer',
  admin: 'atrpc_limits-admin',
} as const;

export const limitsAuth: AuthFile = {
  tokens: [
    ...(['slow', 'other', 'fallback'] as const).map((name) => ({
      name,
      sha256: hashToken(limitTokens[name]),
      allow: ['*'],
      limits: { requestsPerSecond: name === 'slow' ? 2 : 5, burst: 4, maxSubscriptions: 2 },
    })),
    ...(['tenA', 'tenB', 'tenC'] as const).map((name) => ({
      name,
      sha256: hashToken(limitTokens[name]),
      allow: ['*'],
      limits: { requestsPerSecond: 10, burst: 10 },
    })),
    {
      name: 'streamer',
      sha256: hashToken(limitTokens.streamer),
      allow: ['ec2:read'],
      limits: { maxSubscriptions: 2 },
    },
    {
      name: 'admin',
      sha256: hashToken(limitTokens.admin),
      allow: ['*'],
      limits: { requestsPerSecond: 1e6, burst: 1e6 },
    },
  ],
};

/** Resolves once `check` holds, polling every `everyMs`; fails after `withinMs` saying what it waited for. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  withinMs: number,
  everyMs = 50,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value of one sample of a Prometheus text exposition, 0 when absent. */
export function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
