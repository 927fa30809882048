import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The AWS CLI (botocore: its own serializers and parsers) as a test drives it. Tests using it run
 * when `aws` is installed and are skipped, saying why, when it is not.
 */
const run = promisify(execFile);
// Prefer Debian's awscli package (what CI installs) over whatever `aws` comes first on PATH.
const awsBin = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
export const haveAws = spawnSync(awsBin, ['--version'], { encoding: 'utf8' }).status === 0;

export function warnIfNoAws(file: string): void {
  if (!haveAws)
    console.warn(`${file} skipped: the AWS CLI (\`aws\`) is not installed; apt-get install awscli`);
}

/** Runs `aws --endpoint-url <url> --output json …` with throwaway credentials; parses its JSON. */
export async function aws(endpoint: string, ...args: string[]): Promise<any> {
  // Async on purpose: the emulator serves from this same process.
  const { stdout } = await run(awsBin, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}
