import { isIP } from 'node:net';

export class BindSafetyError extends Error {
  override name = 'BindSafetyError';
}

/** Whether a listen address is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h.startsWith('::ffff:127.');
}

/**
 * Safe default: without an auth file the gateway (which holds AWS credentials) refuses to listen
 * beyond loopback, unless started with `--insecure-no-auth`, which is logged loudly.
 * Throws BindSafetyError: the CLI prints its message and exits with code 2.
 */
export function checkBindSafety(opts: {
  host: string;
  authFile: string | undefined;
  insecureNoAuth: boolean;
  warn: (message: string) => void;
}): void {
  if (opts.authFile || isLoopbackHost(opts.host)) return;
  if (!opts.insecureNoAuth) {
    throw new BindSafetyError(
      `refusing to listen on ${opts.host} without an auth file: anyone who can reach it could use this gateway's AWS credentials. ` +
        'Pass --auth-file (see SECURITY.md), listen on 127.0.0.1, or pass --insecure-no-auth if you really mean it.',
    );
  }
  opts.warn(
    `INSECURE: listening on ${opts.host} with --insecure-no-auth: every caller that can reach this address gets full access to this gateway's AWS credentials`,
  );
}
