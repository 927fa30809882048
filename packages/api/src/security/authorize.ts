import { TRPCError } from '@trpc/server';
import type { OperationRef } from './operation-pattern';
import type { AuthorizedPrincipal } from './principal';

/**
 * Throws FORBIDDEN, naming what is missing, unless the principal may call this operation in this
 * region. Runs before any AWS call.
 */
export function authorize(principal: AuthorizedPrincipal, meta: OperationRef, region: string): void {
  const what = `${meta.service}:${meta.operation}`;
  if (!principal.allow.some((p) => p.matches(meta))) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `token '${principal.name}' is not allowed to call ${what} (allowed: ${principal.allow.map((p) => p.source).join(', ')})`,
    });
  }
  if (principal.regions && !principal.regions.has(region)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `token '${principal.name}' is not allowed to use region ${region} (allowed: ${[...principal.regions].join(', ')})`,
    });
  }
}
