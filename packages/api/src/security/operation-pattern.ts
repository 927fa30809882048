import type { ServiceName } from '@aws-trpc/shared';

/** What a pattern is matched against: a procedure's operation, as its meta declares it. */
export interface OperationRef {
  service: ServiceName;
  /** The AWS operation name, e.g. 'RunInstances'. For a subscription or waiter, the operation it reads. */
  operation: string;
  kind: 'query' | 'mutation' | 'subscription';
}

const SERVICES: readonly ServiceName[] = ['ec2', 'elb'];

/**
 * One compiled entry of a token's `allow` list: `ec2:Describe*`, `elb:*`, `ec2:TerminateInstances`,
 * the shorthands `ec2:read`/`ec2:write` (read = the catalog's kind `query`; subscriptions and waiters
 * read), or `*` for everything.
 */
export interface OperationPattern {
  readonly source: string;
  matches(ref: OperationRef): boolean;
}

export class InvalidPatternError extends Error {
  override name = 'InvalidPatternError';
}

const isRead = (kind: OperationRef['kind']) => kind !== 'mutation';

export function compilePattern(source: string): OperationPattern {
  if (source === '*') return { source, matches: () => true };
  const m = /^([a-z0-9]+):(.+)$/.exec(source);
  if (!m)
    throw new InvalidPatternError(`invalid operation pattern '${source}': expected 'service:Operation'`);
  const service = m[1] as ServiceName;
  const op = m[2]!;
  if (!SERVICES.includes(service)) {
    throw new InvalidPatternError(`invalid operation pattern '${source}': unknown service '${service}'`);
  }
  if (op === 'read') return { source, matches: (x) => x.service === service && isRead(x.kind) };
  if (op === 'write') return { source, matches: (x) => x.service === service && !isRead(x.kind) };
  // AWS operation names are PascalCase letters and digits; `*` is the only wildcard.
  if (!/^[A-Za-z0-9*]+$/.test(op)) {
    throw new InvalidPatternError(`invalid operation pattern '${source}': use letters, digits and '*'`);
  }
  const re = new RegExp(`^${op.replaceAll('*', '[A-Za-z0-9]*')}$`);
  return { source, matches: (x) => x.service === service && re.test(x.operation) };
}
