import { appendFile } from 'node:fs/promises';

/** One mutation, as the audit log records it. Never the input itself: only its digest. */
export interface AuditRecord {
  time: string;
  token: string;
  /** `ec2:RunInstances` */
  operation: string;
  procedure: string;
  region: string;
  requestId: string;
  /** The replica that ran it (`--replica-id`, else `<hostname>:<pid>`): the audit file is per replica. */
  replica: string;
  inputDigest: string;
  outcome: 'ok' | 'error';
  /** The tRPC error code, when the outcome is an error. */
  code?: string;
  /** The AWS error code, when AWS answered one. */
  awsCode?: string;
  /** AWS's request id, when the call reached AWS. */
  awsRequestId?: string;
}

export interface AuditLog {
  write(record: AuditRecord): Promise<void>;
  /** Resolves when every line written so far is on disk. */
  flush(): Promise<void>;
}

/**
 * Appends one JSON line per record to `path` (--audit-file / AWS_TRPC_AUDIT_FILE). Writes are chained,
 * so lines never interleave, and the mutation's answer waits for its line: no unaudited success.
 * Without a path, records go to `fallback` (the structured log).
 */
export function createAuditLog(path: string | undefined, fallback: (record: AuditRecord) => void): AuditLog {
  let tail: Promise<void> = Promise.resolve();
  return {
    write(record) {
      if (!path) {
        fallback(record);
        return Promise.resolve();
      }
      const line = `${JSON.stringify(record)}\n`;
      tail = tail.then(() => appendFile(path, line, { mode: 0o600 }));
      return tail;
    },
    flush: () => tail,
  };
}

/**
 * AWS's request id and error code from a result or an error: an SDK output's `$metadata`, the
 * gateway's AwsCallError (`aws`), or an SDK ServiceException (`$metadata`, `name`), down the cause chain.
 */
export function awsFacts(value: unknown): { awsRequestId?: string; awsCode?: string } {
  const seen = new Set<unknown>();
  let v: unknown = value;
  for (let i = 0; i < 5 && v && typeof v === 'object' && !seen.has(v); i++) {
    seen.add(v);
    const o = v as {
      $metadata?: { requestId?: string };
      aws?: { requestId?: string; code?: string };
      $fault?: string;
      name?: string;
      cause?: unknown;
    };
    const requestId = o.aws?.requestId ?? o.$metadata?.requestId;
    const code = o.aws?.code ?? (o.$fault ? o.name : undefined);
    if (requestId || code) {
      return { ...(requestId ? { awsRequestId: requestId } : {}), ...(code ? { awsCode: code } : {}) };
    }
    v = o.cause;
  }
  return {};
}
