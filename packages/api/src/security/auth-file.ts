import { readFileSync } from 'node:fs';
import { catalog, type ServiceName } from '@aws-trpc/shared';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isKnownRegion } from '../core/regions';
import { compilePattern, InvalidPatternError, type OperationRef } from './operation-pattern';

const limitsSchema = z.strictObject({
  /** Sustained requests per second for this token. */
  requestsPerSecond: z.number().positive().optional(),
  /** Requests allowed in a burst above the sustained rate. */
  burst: z.number().int().positive().optional(),
  /** Concurrent subscriptions (streams and waiters) for this token. */
  maxSubscriptions: z.number().int().nonnegative().optional(),
});

const entrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the hex SHA-256 of the token (64 lowercase hex digits)'),
  allow: z.array(z.string()).min(1),
  /** Omitted: every region. */
  regions: z.array(z.string().min(1)).min(1).optional(),
  limits: limitsSchema.optional(),
});

const fileSchema = z.strictObject({ tokens: z.array(entrySchema) });

export type TokenLimits = z.infer<typeof limitsSchema>;
export type TokenEntry = z.infer<typeof entrySchema>;
/** The auth file: JSON or YAML, holding only token hashes. See SECURITY.md. */
export type AuthFile = z.infer<typeof fileSchema>;

export class AuthFileError extends Error {
  override name = 'AuthFileError';
}

const services: readonly ServiceName[] = ['ec2', 'elb'];

/**
 * Every operation a pattern can grant, as authorization sees it: the catalog's operations with their
 * kind, and the operations the subscriptions read (waiters, the instance-state stream).
 */
let grantable: readonly OperationRef[] | undefined;
export function grantableOperations(): readonly OperationRef[] {
  if (grantable) return grantable;
  const refs: OperationRef[] = [];
  for (const service of services) {
    for (const op of catalog[service].operations)
      refs.push({ service, operation: op.operation, kind: op.kind });
    for (const w of catalog[service].waiters)
      refs.push({ service, operation: w.operation, kind: 'subscription' });
  }
  return refs;
}

/**
 * Validates a parsed auth file: shape, unique names and hashes, that every pattern compiles and grants
 * at least one operation (a typo would fail closed, but silently), and that every region is one the
 * SDK's partition data lists, in its lower-case spelling (authorization compares names exactly).
 */
export function parseAuthFile(data: unknown, source = 'auth file'): AuthFile {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AuthFileError(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const [i, t] of parsed.data.tokens.entries()) {
    if (names.has(t.name)) throw new AuthFileError(`${source}: tokens.${i}: duplicate name '${t.name}'`);
    if (hashes.has(t.sha256)) throw new AuthFileError(`${source}: tokens.${i}: duplicate sha256`);
    names.add(t.name);
    hashes.add(t.sha256);
    for (const p of t.allow) {
      let pattern: ReturnType<typeof compilePattern>;
      try {
        pattern = compilePattern(p);
      } catch (e) {
        if (e instanceof InvalidPatternError) throw new AuthFileError(`${source}: tokens.${i}: ${e.message}`);
        throw e;
      }
      if (!grantableOperations().some((ref) => pattern.matches(ref))) {
        throw new AuthFileError(
          `${source}: tokens.${i} ('${t.name}'): pattern '${p}' matches no operation (operation names are AWS's, e.g. ec2:DescribeInstances; see SECURITY.md)`,
        );
      }
    }
    for (const region of t.regions ?? []) {
      if (isKnownRegion(region)) continue;
      const lower = region.toLowerCase();
      const hint =
        lower !== region && isKnownRegion(lower)
          ? ` (did you mean '${lower}'? region names are lower case)`
          : '';
      throw new AuthFileError(
        `${source}: tokens.${i} ('${t.name}'): region '${region}' is not an AWS region known to the installed AWS SDK${hint}`,
      );
    }
  }
  return parsed.data;
}

/** Reads `--auth-file` / AWS_TRPC_AUTH_FILE. `.json` is JSON; anything else is parsed as YAML (a superset). */
export function loadAuthFile(path: string): AuthFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AuthFileError(`cannot read auth file ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new AuthFileError(
      `auth file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  return parseAuthFile(data, path);
}
