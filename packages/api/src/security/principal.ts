import type { TokenLimits } from './auth-file';
import { compilePattern, type OperationPattern } from './operation-pattern';

/** A caller the gateway knows: what it may call, where, and its own limits. */
export interface AuthorizedPrincipal {
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
