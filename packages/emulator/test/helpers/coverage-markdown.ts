import type { Coverage } from '../../src/control';

export const coverageStart =
  '<!-- coverage:start (generated from GET /_emulator/coverage; UPDATE_README=1 to refresh) -->';
export const coverageEnd = '<!-- coverage:end -->';

/** The README's coverage section, written from the handler maps. */
export function coverageMarkdown(coverage: Coverage): string {
  const section = (title: string, c: Coverage['ec2']) =>
    [
      `**${title}**: ${c.implementedCount} of the SDK's ${c.sdkOperationCount} operations.`,
      '',
      c.implemented.map((a) => `\`${a}\``).join(', '),
    ].join('\n');
  return [
    coverageStart,
    section('EC2 (2016-11-15)', coverage.ec2),
    '',
    section('Classic ELB (2012-06-01)', coverage.elb),
    '',
    section('SQS (2012-11-05)', coverage.sqs),
    '',
    section('EventBridge (2015-10-07)', coverage.events),
    coverageEnd,
  ].join('\n');
}
