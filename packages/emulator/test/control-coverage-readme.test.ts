import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { coverageOf } from '../src/control';
import { defaultHandlers } from '../src/emulator';
import { coverageEnd, coverageMarkdown, coverageStart } from './helpers/coverage-markdown';

/** The README's coverage list is the one GET /_emulator/coverage answers. UPDATE_README=1 rewrites it. */
it('README coverage section matches the handler maps', () => {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(coverageStart);
  const end = readme.indexOf(coverageEnd);
  expect(start, 'README has the coverage markers').toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const current = readme.slice(start, end + coverageEnd.length);
  const coverage = coverageOf(defaultHandlers);
  expect(coverage.ec2.unknownHandlers).toEqual([]);
  expect(coverage.elb.unknownHandlers).toEqual([]);
  expect(coverage.sqs.unknownHandlers).toEqual([]);
  expect(coverage.events.unknownHandlers).toEqual([]);
  const wanted = coverageMarkdown(coverage);
  if (process.env.UPDATE_README === '1' && current !== wanted)
    writeFileSync(path, readme.replace(current, wanted));
  else expect(current).toBe(wanted);
});
