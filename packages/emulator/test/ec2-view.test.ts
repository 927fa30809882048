import { describe, expect, it } from 'vitest';
import { virtualClock } from '../src/core/clock';
import { defaultDelays, Region, type RequestContext } from '../src/core/types';
import { ec2Handlers } from '../src/services/ec2';
import {
  defaultSecurityGroupView,
  defaultSubnetView,
  defaultVpcIdView,
  findInstanceView,
  findSecurityGroupView,
  findSubnetView,
} from '../src/services/ec2/view';

/** The view ELB reads: derived from the clock like DescribeInstances, without going through the wire. */
describe('findInstanceView', () => {
  it('follows the lifecycle and a reboot', async () => {
    const clock = virtualClock();
    const region = new Region('us-east-1', '123456789012');
    const ctx: RequestContext = {
      service: 'ec2',
      action: '',
      region,
      requestId: 'r',
      clock,
      delays: { ...defaultDelays, pending: 1_000, rebooting: 500 },
      regionNamed: () => region,
    };
    const out = await ec2Handlers.RunInstances!(
      {
        ImageId: 'ami-0453ec754f44f9a4a',
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: 'us-east-1c' },
      },
      ctx,
    );
    const id: string = out.Instances[0].InstanceId;
    const start = clock.now();
    expect(findInstanceView(region, id, clock.now())).toMatchObject({
      instanceId: id,
      state: 'pending',
      stateSince: start,
      availabilityZone: 'us-east-1c',
    });
    clock.advance(1_000);
    const running = findInstanceView(region, id, clock.now())!;
    expect(running).toMatchObject({ state: 'running', stateSince: start + 1_000 });
    expect(running.subnetId).toMatch(/^subnet-/);
    await ec2Handlers.RebootInstances!({ InstanceIds: [id] }, ctx);
    expect(findInstanceView(region, id, clock.now())!.stateSince).toBe(clock.now() + 500);
    expect(findInstanceView(region, 'i-00000000000000000', clock.now())).toBeUndefined();
  });
});

describe('subnet and security-group views', () => {
  it('expose zone, VPC and group name, and undefined for unknown ids', async () => {
    const clock = virtualClock();
    const region = new Region('us-east-1', '123456789012');
    const ctx: RequestContext = {
      service: 'ec2',
      action: '',
      region,
      requestId: 'r',
      clock,
      delays: defaultDelays,
      regionNamed: () => region,
    };
    const subnets = await ec2Handlers.DescribeSubnets!({}, ctx);
    const s = subnets.Subnets[1];
    expect(findSubnetView(region, s.SubnetId)).toEqual({
      subnetId: s.SubnetId,
      availabilityZone: 'us-east-1b',
      vpcId: s.VpcId,
    });
    const g = defaultSecurityGroupView(region, s.VpcId)!;
    expect(g.groupName).toBe('default');
    expect(findSecurityGroupView(region, g.groupId)).toEqual(g);
    expect(findSubnetView(region, 'subnet-00000000000000000')).toBeUndefined();
    expect(findSecurityGroupView(region, 'sg-bad')).toBeUndefined();
    expect(defaultVpcIdView(region)).toBe(s.VpcId);
    expect(defaultSubnetView(region, 'us-east-1b')).toEqual(findSubnetView(region, s.SubnetId));
    expect(defaultSubnetView(region, 'us-east-1q')).toBeUndefined();
  });
});
