import type { AppRouter } from '@aws-trpc/api';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

/**
 * tRPC sends queries as GET with the input in the URL; 1,000 InstanceIds (~23 kB) would exceed
 * Node's 16 kB header limit. The client sends queries as POST and the gateway allows it.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const fakeId = (i: number) => `i-${i.toString(16).padStart(17, '0')}`;

describe('large query inputs', () => {
  it("describes 1,000 InstanceIds (AWS's documented maximum): the request reaches EC2 (which names them NotFound)", async () => {
    const InstanceIds = Array.from({ length: 1_000 }, (_, i) => fakeId(i));
    expect(JSON.stringify(InstanceIds).length).toBeGreaterThan(16_000);
    h.emu.control.requests.clear();
    const error = await h.client.ec2.describeInstances.query({ InstanceIds }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data?.code).toBe('NOT_FOUND');
    expect(data?.aws?.code).toBe('InvalidInstanceID.NotFound');
    expect(h.emu.control.requests.count({ action: 'DescribeInstances' })).toBe(1);
  });

  it('refuses 1,001 InstanceIds with BAD_REQUEST naming the path and the limit; nothing reaches AWS', async () => {
    const InstanceIds = Array.from({ length: 1_001 }, (_, i) => fakeId(i));
    h.emu.control.requests.clear();
    const error = (await h.client.ec2.describeInstances.query({ InstanceIds }).catch((e: unknown) => e)) as
      | TRPCClientError<AppRouter>
      | undefined;
    expect(error?.data?.code).toBe('BAD_REQUEST');
    expect(error?.message).toContain('Too many items at InstanceIds: 1001, AWS accepts at most 1000');
    expect(error?.data?.validation?.[0]?.path).toEqual(['InstanceIds']);
    expect(h.emu.control.requests.count()).toBe(0);
  });

  it('launches 1,000 instances and describes them all by id', async () => {
    const { Images } = await h.client.ec2.describeImages.query({});
    const ImageId = Images?.[0]?.ImageId ?? 'missing';
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const run = await h.client.ec2.runInstances.mutate({ ImageId, MinCount: 100, MaxCount: 100 });
      for (const i of run.Instances ?? []) if (i.InstanceId) ids.push(i.InstanceId);
    }
    expect(ids).toHaveLength(1_000);
    const out = await h.client.ec2.describeInstances.query({ InstanceIds: ids });
    const seen = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(new Set(seen)).toEqual(new Set(ids));
  });
});
