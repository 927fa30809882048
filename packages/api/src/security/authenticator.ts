import type { Principal } from '../context';
import type { AuthFile, TokenLimits } from './authFile';
import { compilePattern, type OperationPattern } from './operationPattern';
import { digestsEqual, hashToken } from './tokenHash';

/** A caller the gateway knows: what it may call, where, and its own limits. */
export interface AuthorizedPrincipal extends Principal {
  readonly name: string;
  readonly allow: readonly OperationPattern[];
  /** undefined: every region. */
  readonly regions: ReadonlySet<string> | undefined;
  readonly limits: TokenLimits;
}

/** The principal of a gateway without an auth file (loopback only, or `--insecure-no-auth`). */
export const ANONYMOUS: AuthorizedPrincipal = Object.freeze({
  name: 'anonymous',
  allow: [compilePattern('*')],
  regions: undefined,
  limits: {},
});

export interface Authenticator {
  /** Whether a token is required (an auth file is loaded). */
  readonly required: boolean;
  /** The principal for a raw bearer token, or undefined when the token is missing or unknown. */
  authenticate(token: string | undefined): AuthorizedPrincipal | undefined;
}

export function createAuthenticator(file: AuthFile | undefined): Authenticator {
  if (!file) return { required: false, authenticate: () => ANONYMOUS };
  const entries = file.tokens.map((t) => ({
    digest: Buffer.from(t.sha256, 'hex'),
    principal: {
      name: t.name,
      allow: t.allow.map(compilePattern),
      regions: t.regions ? new Set(t.regions) : undefined,
      limits: t.limits ?? {},
    } satisfies AuthorizedPrincipal,
  }));
  return {
    required: true,
    authenticate(token) {
      if (!token) return undefined;
      const digest = Buffer.from(hashToken(token), 'hex');
      // Visit every entry, so the time taken does not reveal which one matched.
      let found: AuthorizedPrincipal | undefined;
      for (const e of entries) if (digestsEqual(digest, e.digest)) found = e.principal;
      return found;
    },
  };
}

/** The bearer token of an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  const m = v ? /^Bearer\s+(\S+)\s*$/i.exec(v) : null;
  return m?.[1];
}
