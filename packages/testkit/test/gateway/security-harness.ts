import { Writable } from 'node:stream';
import { type AuthFile, hashToken, type ProcedureMeta, type SecurityOptions } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { AnyProcedure } from '@trpc/server';
import { type StackOptions, startStack } from '../../src/index';

/** Tokens of the test auth file: full access, read-only, one region, and a tiny rate limit. */
export const tokens = {
  admin: 'atrpc_test-admin',
  reader: 'atrpc_test-reader',
  euOnly: 'atrpc_test-eu-only',
  slow: 'atrpc_test-slow',
} as const;

export const testAuth: AuthFile = {
  tokens: [
    {
      name: 'admin',
      sha256: hashToken(tokens.admin),
      allow: ['*'],
      limits: { requestsPerSecond: 1e6, burst: 1e6 },
    },
    {
      name: 'reader',
      sha256: hashToken(tokens.reader),
      allow: ['ec2:read', 'elb:read'],
      limits: { requestsPerSecond: 1e6, burst: 1e6 },
    },
    { name: 'eu-only', sha256: hashToken(tokens.euOnly), allow: ['ec2:Describe*'], regions: ['eu-west-1'] },
    {
      name: 'slow',
      sha256: hashToken(tokens.slow),
      allow: ['ec2:read'],
      limits: { requestsPerSecond: 1, burst: 2 },
    },
  ],
};

/** Every log line the gateway writes, as text, for assertions (secrets tests). */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

export interface HarnessOptions {
  security?: Partial<SecurityOptions>;
  gateway?: StackOptions['gateway'];
  streams?: StackOptions['streams'];
  logLevel?: 'debug' | 'info' | 'silent';
}

/** A real emulator (virtual clock) and a real gateway over loopback, secured with `testAuth`. */
export async function startSecuredGateway(opts: HarnessOptions = {}) {
  const logs = new LogCapture();
  const stack = await startStack({
    auth: testAuth,
    log: { level: opts.logLevel ?? 'info', destination: logs },
    ...(opts.security ? { security: opts.security } : {}),
    ...(opts.gateway ? { gateway: opts.gateway } : {}),
    ...(opts.streams ? { streams: opts.streams } : {}),
  });
  const { url, origin, gateway, security, observability } = stack;
  const emulator = stack.emulator!;

  /** An untyped client (the tests walk every procedure by path). */
  function client(token?: string, opts: { region?: string; batch?: boolean } = {}) {
    const headers = () => ({
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(opts.region ? { 'x-aws-region': opts.region } : {}),
    });
    // POST for queries too: large inputs do not fit in a URL (the gateway allows the override).
    const link =
      opts.batch === false
        ? httpLink({ url, transformer, headers, methodOverride: 'POST' })
        : httpBatchLink({ url, transformer, headers, maxItems: 20, methodOverride: 'POST' });
    const c = createTRPCClient<any>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({
            url,
            transformer,
            connectionParams: () => ({
              ...(token ? { token } : {}),
              ...(opts.region ? { region: opts.region } : {}),
            }),
          }),
          false: link,
        }),
      ],
    }) as any;
    // For subscriptions, the tests speak SSE themselves (see subscribeCode).
    const raw: RawTarget = {
      url,
      headers: { ...headers(), ...(token ? { authorization: `Bearer ${token}` } : {}) } as Record<
        string,
        string
      >,
    };
    return new Proxy(c, { get: (target, key) => (key === '__raw' ? raw : target[key]) });
  }

  return {
    emulator,
    gateway,
    security,
    observability,
    logs,
    url,
    origin,
    client,
    stack,
    close: () => stack.close(),
  };
}

export type Harness = Awaited<ReturnType<typeof startSecuredGateway>>;

export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** Absent for `gateway.*`, which calls no AWS operation. */
  meta: ProcedureMeta | undefined;
}

/** Every procedure of the router, walked from the router itself: the catalog's operations plus streams and waiters. */
export function allProcedures(router: { _def: { procedures: Record<string, unknown> } }): ProcedureInfo[] {
  return Object.entries(router._def.procedures).map(([path, p]) => {
    const def = (p as AnyProcedure)._def;
    return { path, type: def.type, meta: def.meta as ProcedureMeta };
  });
}

/** Calls a procedure by path and returns the tRPC error code, or 'ok'. */
export async function callCode(client: any, info: ProcedureInfo, input: unknown = {}): Promise<string> {
  const [service, name] = info.path.split('.') as [string, string];
  const proc = client[service][name];
  if (info.type === 'subscription') return subscribeCode(client.__raw as RawTarget, info.path, input);
  try {
    await (info.type === 'query' ? proc.query(input) : proc.mutate(input));
    return 'ok';
  } catch (e) {
    if (e instanceof TRPCClientError)
      return (e.data as { code?: string } | undefined)?.code ?? `client:${e.message}`;
    throw e;
  }
}

interface RawTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * Opens a subscription over SSE as tRPC's wire format has it (Node 20 has no EventSource) and
 * resolves with the code of its `serialized-error` event, or 'ok' at its first data event.
 * https://trpc.io/docs/client/links/httpSubscriptionLink
 */
async function subscribeCode(target: RawTarget, path: string, input: unknown): Promise<string> {
  const ac = new AbortController();
  const query = encodeURIComponent(JSON.stringify(transformer.serialize(input)));
  try {
    const res = await fetch(`${target.url}/${path}?input=${query}`, {
      signal: ac.signal,
      headers: { ...target.headers, accept: 'text/event-stream' },
    });
    if (!res.headers.get('content-type')?.includes('text/event-stream')) {
      return /"code":"([A-Z_]+)"/.exec(await res.text())?.[1] ?? `HTTP ${res.status}`;
    }
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let i = 0; i < 1_000; i++) {
      const chunk = await reader.read();
      if (chunk.done) return 'ended';
      text += decoder.decode(chunk.value, { stream: true });
      const error = /event: serialized-error\ndata: (.*)\n/.exec(text);
      if (error) return /"code":"([A-Z_]+)"/.exec(error[1]!)?.[1] ?? 'error';
      if (/(^|\n)(id: .*\n)?data: (?!\{\}\n)/.test(text.replace(/event: connected\ndata: \{\}\n/, '')))
        return 'ok';
    }
    return 'no-event';
  } finally {
    ac.abort();
  }
}
