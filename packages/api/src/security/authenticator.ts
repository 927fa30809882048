import type { AuthFile } from './auth-file';
import { compilePattern } from './operation-pattern';
import { ANONYMOUS, type AuthorizedPrincipal } from './principal';
import { digestsEqual, hashToken } from './token-hash';

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
