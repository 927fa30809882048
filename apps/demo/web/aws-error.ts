/** What the dashboard shows of a failed call: AWS's code and message when AWS answered, else tRPC's. */
export interface ShownError {
  code: string;
  message: string;
  /** The procedure that failed, e.g. `ec2.runInstances`. */
  where?: string;
}

/** Reads `error.data.aws` (the gateway's GatewayErrorData) from a TRPCClientError, duck-typed. */
export function shownError(error: unknown, where?: string): ShownError {
  const e = error as {
    message?: string;
    data?: { code?: string; aws?: { code?: string; message?: string } | null };
  };
  const aws = e?.data?.aws;
  if (aws?.code) return { code: aws.code, message: aws.message ?? '', ...(where ? { where } : {}) };
  return {
    code: e?.data?.code ?? 'Error',
    message: e?.message ?? String(error),
    ...(where ? { where } : {}),
  };
}

export function isForbidden(error: unknown): boolean {
  return (error as { data?: { code?: string } })?.data?.code === 'FORBIDDEN';
}
