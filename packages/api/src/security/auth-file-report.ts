import { catalog, type ServiceName } from '@aws-trpc/shared';
import type { AuthFile } from './auth-file';
import { compilePattern, type OperationRef } from './operation-pattern';

interface Procedure extends OperationRef {
  /** `ec2.describeInstances`, `ec2.waitUntilInstanceRunning` */
  path: string;
}

const services: readonly ServiceName[] = ['ec2', 'elb'];

/** The router's procedures as authorization sees them, from the catalog (the only list). */
function procedures(): Procedure[] {
  const out: Procedure[] = [];
  for (const service of services) {
    for (const op of catalog[service].operations) {
      out.push({ service, operation: op.operation, kind: op.kind, path: `${service}.${op.procedure}` });
    }
    for (const w of catalog[service].waiters) {
      out.push({
        service,
        operation: w.operation,
        kind: 'subscription',
        path: `${service}.waitUntil${w.name}`,
      });
    }
  }
  out.push({
    service: 'ec2',
    operation: 'DescribeInstances',
    kind: 'subscription',
    path: 'ec2.onInstanceStateChange',
  });
  return out;
}

/** At most this many procedure names are printed per pattern; the rest are counted. */
const shown = 8;

/**
 * What each token of an auth file may do, for `aws-trpc check-auth-file`: its regions, its limits, each
 * pattern with the procedures it grants, and the total. Names and patterns only: never a hash.
 */
export function describeAuthFile(file: AuthFile, source: string): string {
  const all = procedures();
  const lines = [`${source}: ${file.tokens.length} token${file.tokens.length === 1 ? '' : 's'}, valid`];
  for (const t of file.tokens) {
    lines.push('', t.name);
    lines.push(`  regions: ${t.regions?.join(', ') ?? 'every region'}`);
    const l = t.limits ?? {};
    const limits = [
      l.requestsPerSecond !== undefined ? `${l.requestsPerSecond} requests/s` : undefined,
      l.burst !== undefined ? `burst ${l.burst}` : undefined,
      l.maxSubscriptions !== undefined ? `${l.maxSubscriptions} subscriptions` : undefined,
    ].filter(Boolean);
    lines.push(
      `  limits: ${limits.length ? `${limits.join(', ')}; the gateway's defaults otherwise` : "the gateway's defaults"}`,
    );
    const granted = new Set<string>();
    for (const source of t.allow) {
      const pattern = compilePattern(source);
      const paths = all.filter((p) => pattern.matches(p)).map((p) => p.path);
      for (const p of paths) granted.add(p);
      const names = paths.slice(0, shown).join(', ');
      const more = paths.length > shown ? `, … and ${paths.length - shown} more` : '';
      lines.push(
        `  allow ${source}: ${paths.length} procedure${paths.length === 1 ? '' : 's'}: ${names}${more}`,
      );
    }
    const kinds = { query: 0, mutation: 0, subscription: 0 };
    for (const p of all) if (granted.has(p.path)) kinds[p.kind]++;
    lines.push(
      `  may call ${granted.size} of ${all.length} procedures: ${kinds.query} queries, ${kinds.mutation} mutations, ${kinds.subscription} subscriptions`,
    );
  }
  return `${lines.join('\n')}\n`;
}
