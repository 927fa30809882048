import { InputValidationError, inputValidator } from '@aws-trpc/shared';
import { TRPCError } from '@trpc/server';
import { t } from '../core/trpc';
import { instrumentUpstream } from '../core/upstream-metrics';
import { awsFacts } from '../security/audit-log';
import { authorize } from '../security/authorize';
import { ANONYMOUS, type AuthorizedPrincipal } from '../security/principal';
import { redact, redactInvalid, secretMembers } from '../security/redact';
import { guardDeps } from './guard-deps';
import { inputDigest } from './input-digest';
import { releaseOnEnd } from './release-on-end';
import { withRequestTimeout } from './request-timeout';

/** What the guard adds to the context of every gateway procedure. */
export interface GuardedContext {
  principal: AuthorizedPrincipal;
  /** Aborts at the gateway's deadline or when the caller goes away: pass it to `send(cmd, { abortSignal })`. */
  upstreamSignal: AbortSignal | undefined;
}

type GuardDeps = ReturnType<typeof guardDeps>;

/** The caller's principal, or UNAUTHORIZED (no token, or a token the auth file does not know). */
export function authenticated(
  security: GuardDeps['security'],
  token: string | undefined,
): AuthorizedPrincipal {
  const principal = security.authenticator.authenticate(token);
  if (!principal) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: token ? 'unknown token' : 'a bearer token is required (Authorization: Bearer <token>)',
    });
  }
  return principal;
}

/** Takes one call from the principal's rate limit; TOO_MANY_REQUESTS (counted) when it is spent. */
export async function takeRate(
  security: GuardDeps['security'],
  metrics: GuardDeps['observability']['metrics'],
  principal: AuthorizedPrincipal,
): Promise<void> {
  try {
    await security.rateLimiter.take(principal);
  } catch (e) {
    metrics.throttled('rate');
    throw e;
  }
}

/**
 * The gateway's one middleware, in the documented order: authenticate and authorize (before any AWS
 * call), rate limit, subscription slots, audit (mutations only), then metrics and logs, which also
 * record the calls refused on the way.
 */
export const callGuard = t.middleware(async (opts) => {
  const { ctx, meta, path, type, signal } = opts;
  const { security, observability } = guardDeps(ctx.deps);
  const { logger, metrics } = observability;
  const started = performance.now();
  const kind = meta?.kind ?? type;
  const log = { requestId: ctx.requestId, procedure: path, kind, region: ctx.region };
  let principal: AuthorizedPrincipal | undefined;

  const finish = (outcome: string, error?: TRPCError) => {
    const seconds = (performance.now() - started) / 1000;
    if (type !== 'subscription') metrics.request(path, kind, outcome, seconds);
    const line = { ...log, principal: principal?.name, outcome, durationMs: Math.round(seconds * 1000) };
    if (error?.code === 'INTERNAL_SERVER_ERROR')
      logger.error({ ...line, err: { name: error.name, message: error.message } }, 'call failed');
    else logger.info(line, type === 'subscription' ? 'subscription opened' : 'call');
  };

  try {
    if (!meta) {
      // Fail closed: a procedure that does not say which operation it is cannot be authorized.
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `procedure ${path} declares no meta` });
    }
    principal = authenticated(security, ctx.token);
    authorize(principal, meta, ctx.region);
    await takeRate(security, metrics, principal);
  } catch (e) {
    const error = e instanceof TRPCError ? e : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: e });
    finish(error.code, error);
    throw error;
  }
  const who: AuthorizedPrincipal = principal ?? ANONYMOUS;
  instrumentUpstream(metrics, ctx.deps.aws, meta.service, ctx.region);

  // Queries and mutations take the operation's input as it is: validate it here, with the gateway's
  // limits, so nothing is logged before it is known to be valid (what is not is redacted). The parser
  // of the procedure then recognises the clean copy and passes it through.
  let validated: { value: unknown } | { error: TRPCError } | undefined;
  if (type !== 'subscription') {
    const raw = await opts.getRawInput();
    const result = inputValidator(meta.service, meta.operation).validate(raw ?? {}, security.input);
    validated = result.ok
      ? { value: result.value }
      : {
          error: new TRPCError({
            code: 'BAD_REQUEST',
            cause: new InputValidationError(meta.operation, result.issues),
          }),
        };
    if (logger.isLevelEnabled('debug')) {
      const secrets = secretMembers(meta.service, meta.operation);
      const input = result.ok ? redact(result.value, secrets) : redactInvalid(raw, secrets, result.issues);
      logger.debug({ ...log, principal: who.name, input }, 'input');
    }
  } else if (logger.isLevelEnabled('debug')) {
    const secrets = secretMembers(meta.service, meta.operation);
    logger.debug({ ...log, principal: who.name, input: redact(await opts.getRawInput(), secrets) }, 'input');
  }

  if (type === 'subscription') {
    let release: () => void;
    try {
      // Awaited before the subscription starts: with Redis, the cap is counted across replicas.
      release = await security.subscriptions.acquire(who);
    } catch (e) {
      metrics.throttled('subscriptions');
      finish((e as TRPCError).code, e as TRPCError);
      throw e;
    }
    metrics.subscriberOpened(path);
    let open = true;
    const done = () => {
      if (!open) return;
      open = false;
      release();
      metrics.subscriberClosed(path);
      logger.info({ ...log, principal: who.name }, 'subscription closed');
    };
    const result = await opts.next({
      ctx: { principal: who, upstreamSignal: signal } satisfies GuardedContext,
    });
    if (!result.ok) {
      done();
      finish(result.error.code, result.error);
      return result;
    }
    finish('ok');
    return { ...result, data: releaseOnEnd(result.data, done, signal) };
  }

  const clean = validated && 'value' in validated ? validated.value : undefined;
  const result =
    validated && 'error' in validated
      ? { ok: false as const, error: validated.error, marker: undefined as never }
      : await withRequestTimeout(security.requestTimeoutMs, signal, (upstreamSignal) =>
          opts.next({
            ctx: { principal: who, upstreamSignal } satisfies GuardedContext,
            ...(validated ? { getRawInput: async () => clean } : {}),
          }),
        ).catch((error: unknown) => {
          const e =
            error instanceof TRPCError
              ? error
              : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
          return { ok: false as const, error: e, marker: undefined as never };
        });

  if (meta.kind === 'mutation') {
    await security.audit.write({
      time: new Date().toISOString(),
      token: who.name,
      operation: `${meta.service}:${meta.operation}`,
      procedure: path,
      region: ctx.region,
      requestId: ctx.requestId,
      replica: security.replicaId,
      inputDigest: inputDigest(await opts.getRawInput()),
      outcome: result.ok ? 'ok' : 'error',
      ...(result.ok ? {} : { code: result.error.code }),
      ...awsFacts(result.ok ? result.data : result.error),
    });
  }
  finish(result.ok ? 'ok' : result.error.code, result.ok ? undefined : result.error);
  if (!result.ok) throw result.error;
  return result;
});
