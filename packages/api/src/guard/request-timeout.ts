import { TRPCError } from '@trpc/server';

/**
 * Runs `run` with a deadline. The signal it receives aborts at the deadline or when the caller goes
 * away, so the SDK call (`send(cmd, { abortSignal })`) stops too; the caller gets GATEWAY_TIMEOUT.
 */
export async function withRequestTimeout<T>(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TRPCError({
        code: 'GATEWAY_TIMEOUT',
        message: `request exceeded the gateway's timeout of ${timeoutMs} ms`,
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
