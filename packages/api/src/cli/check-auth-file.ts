import { AuthFileError, loadAuthFile } from '../security/auth-file';
import { describeAuthFile } from '../security/auth-file-report';

export interface CheckIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * `aws-trpc check-auth-file <path>` (and `serve --check-auth-file <path>`): validates the file as the
 * gateway does at start and prints what each token may do. Exit code 0, or 2 with the reason.
 */
export function runCheckAuthFile(
  path: string | undefined,
  io: CheckIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) },
): number {
  if (!path) {
    io.stderr('aws-trpc: check-auth-file needs the path of an auth file\n');
    return 2;
  }
  try {
    io.stdout(describeAuthFile(loadAuthFile(path), path));
    return 0;
  } catch (error) {
    if (!(error instanceof AuthFileError)) throw error;
    io.stderr(`aws-trpc: ${error.message}\n`);
    return 2;
  }
}
