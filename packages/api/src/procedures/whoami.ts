import { catalog, type OperationEntry, type ServiceName } from '@aws-trpc/shared';
import { z } from 'zod';
import { t } from '../core/trpc';
import { guardDeps } from '../guard/guard-deps';
import { principalGuard } from '../guard/principal-guard';
import type { AuthorizedPrincipal } from '../security/principal';

/** What `gateway.whoami` answers: who the caller is and what its token lets it do. Never a token or hash. */
export interface Whoami {
  /** The token's name in the auth file; `anonymous` when the gateway runs without one. */
  principal: string;
  /** Whether the gateway requires tokens (an auth file is loaded). */
  authRequired: boolean;
  /** The token's `allow` patterns, as written in the auth file (e.g. `ec2:read`). */
  allow: string[];
  /** The regions the token may use; null: every region. */
  regions: string[] | null;
  /** The procedures of each service the token may call (catalog operations; streams and waiters read theirs). */
  procedures: Record<ServiceName, string[]>;
}

const services: readonly ServiceName[] = ['ec2', 'elb'];

/** Computed with the same patterns `authorize` applies to every call, over the catalog (the only list). */
export function whoamiOf(principal: AuthorizedPrincipal, authRequired: boolean): Whoami {
  const procedures = {} as Record<ServiceName, string[]>;
  for (const service of services) {
    const entries = catalog[service].operations as readonly OperationEntry[];
    procedures[service] = entries
      .filter((e) =>
        principal.allow.some((p) => p.matches({ service, operation: e.operation, kind: e.kind })),
      )
      .map((e) => e.procedure);
  }
  return {
    principal: principal.name,
    authRequired,
    allow: principal.allow.map((p) => p.source),
    regions: principal.regions ? [...principal.regions] : null,
    procedures,
  };
}

/**
 * `gateway.whoami`: lets a UI show only what the caller may use, without probing operations (which
 * would write audit records). Any authenticated token may call it.
 */
export const whoami = t.procedure
  .use(principalGuard)
  .input(z.strictObject({}).optional())
  .query(({ ctx }): Whoami => whoamiOf(ctx.principal, guardDeps(ctx.deps).security.authenticator.required));

/** The gateway's own procedures, beside `ec2` and `elb`. */
export const gatewayProcedures = { whoami };
