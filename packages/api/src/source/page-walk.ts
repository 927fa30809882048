import {
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  type EC2Client,
  type InstanceStatus,
} from '@aws-sdk/client-ec2';
import { type TrackedInstance, trackInstances } from './instance-record';

/** Describe pages are bounded so a misbehaving endpoint cannot loop us forever. */
const maxPages = 1_000;

/** DescribeInstances takes at most 1,000 ids per call. */
const idsPerCall = 1_000;

/** What a page walk counts, for the stats and the benchmarks. */
export interface UpstreamCounters {
  /** DescribeInstances calls (pages). */
  describes: number;
  /** DescribeInstanceStatus calls (pages). */
  statusReads: number;
}

/** Reads page after page while `read` returns a next token, at most maxPages. */
async function everyPage(read: (token: string | undefined) => Promise<string | undefined>): Promise<void> {
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    token = await read(token);
    if (!token) return;
  }
}

/** Every instance of the region (all pages), each observed at `at`. */
export async function readAllInstances(
  client: EC2Client,
  at: number,
  counters: UpstreamCounters,
  abortSignal: AbortSignal,
): Promise<Map<string, TrackedInstance>> {
  const out = new Map<string, TrackedInstance>();
  await everyPage(async (NextToken) => {
    counters.describes++;
    const res = await client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken }), {
      abortSignal,
    });
    for (const [id, t] of trackInstances(res.Reservations, at)) out.set(id, t);
    return res.NextToken;
  });
  return out;
}

/**
 * The named instances only, in calls of at most 1,000 ids. An id AWS does not know fails the whole
 * call (InvalidInstanceID.NotFound), so such a batch is read again without the ids it names.
 */
export async function readInstances(
  client: EC2Client,
  ids: readonly string[],
  at: number,
  counters: UpstreamCounters,
  abortSignal: AbortSignal,
): Promise<Map<string, TrackedInstance>> {
  const out = new Map<string, TrackedInstance>();
  for (let i = 0; i < ids.length; i += idsPerCall) {
    let batch = ids.slice(i, i + idsPerCall);
    for (let attempt = 0; attempt < 3 && batch.length > 0; attempt++) {
      try {
        counters.describes++;
        const res = await client.send(new DescribeInstancesCommand({ InstanceIds: batch }), { abortSignal });
        for (const [id, t] of trackInstances(res.Reservations, at)) out.set(id, t);
        break;
      } catch (error) {
        const unknown = notFoundIds(error);
        if (!unknown) throw error;
        batch = batch.filter((id) => !unknown.has(id));
      }
    }
  }
  return out;
}

/** The ids an InvalidInstanceID.NotFound names ("The instance IDs 'i-1, i-2' do not exist"). */
function notFoundIds(error: unknown): Set<string> | undefined {
  const e = error as { name?: string; message?: string };
  if (e?.name !== 'InvalidInstanceID.NotFound') return undefined;
  return new Set(e.message?.match(/i-[0-9a-f]+/g) ?? []);
}

/** All status checks, in one paged DescribeInstanceStatus that includes instances not running. */
export async function readAllStatuses(
  client: EC2Client,
  counters: UpstreamCounters,
  abortSignal: AbortSignal,
): Promise<Map<string, InstanceStatus>> {
  const out = new Map<string, InstanceStatus>();
  await everyPage(async (NextToken) => {
    counters.statusReads++;
    const res = await client.send(
      new DescribeInstanceStatusCommand({ IncludeAllInstances: true, MaxResults: 1000, NextToken }),
      { abortSignal },
    );
    for (const st of res.InstanceStatuses ?? []) if (st.InstanceId) out.set(st.InstanceId, st);
    return res.NextToken;
  });
  return out;
}
