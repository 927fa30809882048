/**
 * Whether a queue's access policy lets an AWS service principal (EventBridge) call an action on it.
 * Deny wins over Allow; with no policy, or no statement that applies, the answer is no, as for any
 * cross-principal access to SQS.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 *
 * Supported: Principal `*`, `{"Service": …}` and `{"AWS": "*"}`; Action and NotAction with `*` and `?`;
 * Resource; Condition operators ArnEquals, ArnLike, StringEquals, StringLike (and their Not…
 * forms) on the request's context keys. A statement with anything else does not apply.
 */
export interface ServiceRequest {
  service: string;
  action: string;
  resource: string;
  /** Context keys such as aws:SourceArn and aws:SourceAccount. */
  context: Record<string, string>;
}

type Statement = Record<string, unknown>;

export function policyAllows(policy: string | undefined, request: ServiceRequest): boolean {
  if (!policy) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return false;
  }
  const raw = (doc as { Statement?: unknown })?.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter(
    (s): s is Statement => !!s && typeof s === 'object',
  );
  let allowed = false;
  for (const s of statements) {
    if (!applies(s, request)) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

/** IAM wildcards: `*` any run, `?` one character; case-insensitive for actions only. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function applies(s: Statement, r: ServiceRequest): boolean {
  if (s.NotPrincipal !== undefined || s.NotResource !== undefined) return false;
  if (!principalMatches(s.Principal, r.service)) return false;
  if (s.Action !== undefined && !list(s.Action).some((a) => wildcard(a, r.action, true))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => wildcard(a, r.action, true))) return false;
  if (s.Action === undefined && s.NotAction === undefined) return false;
  if (s.Resource !== undefined && !list(s.Resource).some((p) => wildcard(p, r.resource))) return false;
  return conditionHolds(s.Condition, r.context);
}

function principalMatches(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  return list(p.Service).includes(service) || list(p.AWS).includes('*');
}

const operators: Record<string, (pattern: string, value: string) => boolean> = {
  ArnEquals: (p, v) => p === v,
  ArnLike: (p, v) => wildcard(p, v),
  StringEquals: (p, v) => p === v,
  StringLike: (p, v) => wildcard(p, v),
};

function conditionHolds(condition: unknown, context: Record<string, string>): boolean {
  if (condition === undefined) return true;
  if (!condition || typeof condition !== 'object') return false;
  for (const [operator, clauses] of Object.entries(condition)) {
    const negated = operator.includes('Not');
    const test = operators[operator.replace('Not', '')];
    if (!test || !clauses || typeof clauses !== 'object') return false;
    for (const [key, patterns] of Object.entries(clauses)) {
      const value = Object.hasOwn(context, key) ? context[key] : undefined;
      if (value === undefined) return false;
      const any = list(patterns).some((p) => test(p, value));
      if (any === negated) return false;
    }
  }
  return true;
}
