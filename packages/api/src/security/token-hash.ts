import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every token the CLI mints, so leaked tokens are easy to grep for in code and logs. */
export const TOKEN_PREFIX = 'atrpc_';

/** A new random bearer token: 32 bytes from the CSPRNG, base64url. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The SHA-256 of a token, hex. The auth file stores only this. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two hex SHA-256 digests. Both sides are fixed-length digests, so the
 * comparison time does not depend on how much of a guessed token is right.
 */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
