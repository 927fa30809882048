/**
 * Turns whatever a suite returns into figures and goals. The package suites each have their own
 * result shape (a list of records with `median_ms`, records with `value`/`unit`/`goal`/`pass`, or
 * `{ client, sdk, ratio }`); reading them generically keeps this runner from restating their fields.
 */
import { type Figure, figure, type GoalResult } from './figure';

/** Keys that qualify a record (part of its label) rather than measure something. */
const qualifiers = new Set(['n', 'subscribers', 'instances', 'concurrency']);
/** Keys that are bookkeeping, not figures. */
const skipped = new Set(['iterations', 'runs']);

function unitOf(key: string): string {
  if (/_ms$|Ms$/.test(key)) return 'ms';
  if (/_s$|S$/.test(key)) return 's';
  if (/_mb$|MB$/i.test(key)) return 'MB';
  if (/_kb$|KB$/i.test(key)) return 'KB';
  if (/bytes$/i.test(key)) return 'B';
  return '';
}

function labelOf(record: Record<string, unknown>, fallback: string): string {
  const name = typeof record.name === 'string' ? record.name : fallback;
  const qualifying = Object.entries(record)
    .filter(([key, value]) => qualifiers.has(key) && typeof value === 'number')
    .map(([key, value]) => `${key}=${value}`);
  return [name, ...qualifying].join(' ').trim();
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function walk(suite: string, data: unknown, label: string, figures: Figure[], goals: GoalResult[]): void {
  if (Array.isArray(data)) {
    data.forEach((item, i) => {
      walk(suite, item, isRecord(item) ? labelOf(item, `${label}[${i}]`) : `${label}[${i}]`, figures, goals);
    });
    return;
  }
  if (!isRecord(data)) return;
  // { name, value, unit, goal?: '≤ 100', pass? }
  if (finite(data.value) && typeof data.unit === 'string') {
    figures.push(figure(suite, label, data.value, data.unit));
    if (typeof data.goal === 'string' && typeof data.pass === 'boolean') {
      goals.push({ goal: label, measured: data.value, bound: data.goal, unit: data.unit, pass: data.pass });
    }
    return;
  }
  for (const [key, value] of Object.entries(data)) {
    if (qualifiers.has(key) || skipped.has(key) || key.startsWith('goal')) continue;
    const name = label ? `${label} ${key}` : key;
    if (finite(value)) {
      figures.push(figure(suite, name, value, key === 'ratio' ? 'x' : unitOf(key)));
      // { median_ms, goal_median_ms }: the goal is an upper bound on the figure it names.
      const bound = data[`goal_${key}`];
      if (finite(bound)) {
        goals.push({
          goal: name,
          measured: value,
          bound: `≤ ${bound}`,
          unit: unitOf(key),
          pass: value <= bound,
        });
      }
    } else if (key === 'ratio' && isRecord(value)) {
      // { client, sdk, ratio: {...} }: the consumer type-check goal, client ≤ 1.5× the direct SDK.
      for (const [what, r] of Object.entries(value)) {
        if (!finite(r)) continue;
        figures.push(figure(suite, `${name} ${what}`, r, 'x'));
        if (what !== 'types')
          goals.push({
            goal: `client / sdk ${what}`,
            measured: r,
            bound: '≤ 1.5',
            unit: 'x',
            pass: r <= 1.5,
          });
      }
    } else if (isRecord(value) || Array.isArray(value)) {
      if (key !== 'machine') walk(suite, value, name, figures, goals);
    }
  }
}

/** The suite's own method sentence: a top-level `method`, or the distinct methods of its records. */
function methodOf(data: unknown): string {
  if (isRecord(data) && typeof data.method === 'string') return data.method;
  if (Array.isArray(data)) {
    const methods = new Set(
      data
        .filter(isRecord)
        .map((r) => r.method)
        .filter((m) => typeof m === 'string'),
    );
    return [...methods].join(' / ');
  }
  return '';
}

export function normalize(
  suite: string,
  data: unknown,
): { method: string; figures: Figure[]; goals: GoalResult[] } {
  // Our own suites (and the load suite) already speak this shape.
  if (isRecord(data) && Array.isArray(data.figures)) {
    const figures = data.figures
      .filter(isRecord)
      .map((f) => figure(suite, String(f.name), Number(f.value), String(f.unit ?? '')));
    return {
      method: methodOf(data),
      figures,
      goals: Array.isArray(data.goals) ? (data.goals as GoalResult[]) : [],
    };
  }
  const figures: Figure[] = [];
  const goals: GoalResult[] = [];
  walk(suite, data, '', figures, goals);
  return { method: methodOf(data), figures, goals };
}
