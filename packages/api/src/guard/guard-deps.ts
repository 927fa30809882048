import type { GatewayDeps } from '../core/deps';
import { createObservability, type Observability } from '../observability/observability';
import { createSecurity, type Security } from '../security/security';

const fallbacks = new WeakMap<GatewayDeps, { security: Security; observability: Observability }>();

/**
 * The security and observability of a gateway. A gateway built without them (tests of other
 * concerns) runs as a loopback gateway without an auth file does: anonymous, default limits, and a
 * logger that stays silent unless AWS_TRPC_LOG_LEVEL says otherwise.
 */
export function guardDeps(deps: GatewayDeps): { security: Security; observability: Observability } {
  if (deps.security && deps.observability)
    return { security: deps.security, observability: deps.observability };
  let f = fallbacks.get(deps);
  if (!f) {
    const observability =
      deps.observability ??
      createObservability({ level: (process.env.AWS_TRPC_LOG_LEVEL as never) ?? 'silent' });
    f = { observability, security: deps.security ?? createSecurity({}, observability.logger) };
    fallbacks.set(deps, f);
  }
  return f;
}
