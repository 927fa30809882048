import { awsErrorOf } from '../errors';

export interface BatchOptions {
  /** Plan mode: ask EC2 with DryRun whether the call would be permitted, change nothing. */
  dryRun?: boolean;
}

/** What a dry run found: the ids the action would affect, and whether the caller may do it. */
export interface PlanResult {
  dryRun: true;
  ids: string[];
  permitted: boolean;
}

export interface BatchResult<TOutput> {
  dryRun: false;
  ids: string[];
  /** One SDK output per chunk sent. */
  responses: TOutput[];
}

/**
 * At most this many ids go into one call. CreateTags documents "up to 1000 resource IDs"; EC2 applies
 * the same bound to other id lists in practice, and boto3's batch actions send one page (≤ 1000) at a time.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
 */
export const MAX_IDS_PER_CALL = 1000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Sends `send` once per chunk of ids. With `dryRun`, EC2 answers DryRunOperation when the call would
 * succeed and UnauthorizedOperation when it is not allowed; both become a PlanResult.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonParameters.html
 */
export async function runBatch<TOutput>(
  ids: readonly string[],
  send: (ids: string[], dryRun: boolean) => Promise<TOutput>,
  opts: BatchOptions = {},
): Promise<PlanResult | BatchResult<TOutput>> {
  const chunks = chunk(ids, MAX_IDS_PER_CALL);
  if (opts.dryRun) {
    let permitted = true;
    for (const part of chunks) {
      try {
        await send(part, true);
      } catch (err) {
        const code = awsErrorOf(err)?.code;
        if (code === 'UnauthorizedOperation') permitted = false;
        else if (code !== 'DryRunOperation') throw err;
      }
    }
    return { dryRun: true, ids: [...ids], permitted };
  }
  const responses: TOutput[] = [];
  for (const part of chunks) responses.push(await send(part, false));
  return { dryRun: false, ids: [...ids], responses };
}
