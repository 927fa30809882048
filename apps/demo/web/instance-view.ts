import type { Ec2Output } from '@aws-trpc/client';
import type { InstanceStateRecord } from '@aws-trpc/client/browser';

type Instance = NonNullable<
  NonNullable<Ec2Output<'describeInstances'>['Reservations']>[number]['Instances']
>[number];

/** One row of the instances table: the live state from the stream over DescribeInstances' details. */
export interface InstanceView {
  id: string;
  state: string;
  instanceType?: string;
  availabilityZone?: string;
  privateIp?: string;
  tags: Record<string, string>;
}

/** Rows in launch order; the stream's state wins (it is newer than the last describe). */
export function instanceViews(described: Instance[], live: Map<string, InstanceStateRecord>): InstanceView[] {
  const rows = new Map<string, InstanceView>();
  for (const i of described) {
    if (!i.InstanceId) continue;
    rows.set(i.InstanceId, {
      id: i.InstanceId,
      state: i.State?.Name ?? 'unknown',
      ...(i.InstanceType ? { instanceType: i.InstanceType } : {}),
      ...(i.Placement?.AvailabilityZone ? { availabilityZone: i.Placement.AvailabilityZone } : {}),
      ...(i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {}),
      tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    });
  }
  for (const r of live.values()) {
    const row = rows.get(r.instanceId);
    if (row) row.state = r.state;
    else
      rows.set(r.instanceId, {
        id: r.instanceId,
        state: r.state,
        ...(r.instanceType ? { instanceType: r.instanceType } : {}),
        ...(r.availabilityZone ? { availabilityZone: r.availabilityZone } : {}),
        tags: r.tags,
      });
  }
  return [...rows.values()];
}
