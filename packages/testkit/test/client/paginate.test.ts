import { paginate, paginateOperation } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type Stack, someImageId, startStack } from './stack';

let stack: Stack;
let ids: string[];
const describeCalls = () => stack.emu.control.requests.count({ service: 'ec2', action: 'DescribeInstances' });

beforeAll(async () => {
  stack = await startStack();
  const imageId = await someImageId(stack);
  // 12 reservations of one instance each, so pages of 5 reservations are easy to count.
  ids = [];
  for (let i = 0; i < 12; i++) {
    const out = await stack.client.ec2.runInstances.mutate({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    ids.push(out.Instances![0]!.InstanceId!);
  }
});
afterAll(() => stack?.close());

describe('paginate over the gateway', () => {
  it('walks DescribeInstances page by page with the catalog paginator, and flattens items', async () => {
    const before = describeCalls();
    const pages = [];
    for await (const page of paginateOperation(
      stack.client,
      'ec2',
      'describeInstances',
      {},
      { pageSize: 5 },
    )) {
      pages.push(page);
    }
    expect(pages.map((p) => p.Reservations?.length)).toEqual([5, 5, 2]);
    expect(describeCalls() - before).toBe(3);

    const seen: string[] = [];
    for await (const reservation of paginateOperation(
      stack.client,
      'ec2',
      'describeInstances',
      {},
      { pageSize: 5 },
    ).items()) {
      expectTypeOf(reservation.ReservationId).toEqualTypeOf<string | undefined>();
      seen.push(reservation.Instances![0]!.InstanceId!);
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('stops at maxItems without reading further pages, cutting the last page', async () => {
    const before = describeCalls();
    const paged = paginateOperation(
      stack.client,
      'ec2',
      'describeInstances',
      {},
      { pageSize: 5, maxItems: 7 },
    );
    const pages = [];
    for await (const page of paged.pages()) pages.push(page);
    expect(pages.map((p) => p.Reservations?.length)).toEqual([5, 2]);
    expect(describeCalls() - before).toBe(2);

    const items = [];
    for await (const r of paginateOperation(
      stack.client,
      'ec2',
      'describeInstances',
      {},
      { maxItems: 3 },
    ).items())
      items.push(r);
    expect(items).toHaveLength(3);
  });

  it('honours the AbortSignal between pages', async () => {
    const abort = new AbortController();
    const seen: unknown[] = [];
    const walk = async () => {
      for await (const page of paginateOperation(
        stack.client,
        'ec2',
        'describeInstances',
        {},
        { pageSize: 5, signal: abort.signal },
      )) {
        seen.push(page);
        abort.abort();
      }
    };
    await expect(walk()).rejects.toThrow(/abort/i);
    expect(seen).toHaveLength(1);
  });

  it('takes any query procedure with an explicit paginator (Classic ELB: Marker/NextMarker)', async () => {
    const lbs = paginate(
      stack.client.elb.describeLoadBalancers,
      {},
      {
        inputToken: 'Marker',
        outputToken: 'NextMarker',
        pageSize: 'PageSize',
        items: 'LoadBalancerDescriptions',
      },
    );
    const pages = [];
    for await (const page of lbs) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.LoadBalancerDescriptions).toEqual([]);
  });
});
