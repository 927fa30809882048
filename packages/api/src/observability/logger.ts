import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths pino censors whatever a caller logs. Inputs are never logged raw (see security/redact.ts);
 * this is the second belt for the usual carriers of secrets.
 */
const redactPaths = [
  'token',
  'authorization',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'credentials',
  '*.credentials',
  'secretAccessKey',
  '*.secretAccessKey',
  'sessionToken',
  '*.sessionToken',
];

/** The gateway's structured logger (JSON lines on stdout unless a destination is given). */
export function createLogger(
  opts: { level?: LevelWithSilent; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      name: 'aws-trpc',
      level: opts.level ?? (process.env.AWS_TRPC_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info',
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      base: undefined,
    },
    opts.destination,
  );
}
