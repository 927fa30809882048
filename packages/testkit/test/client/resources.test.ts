import { isAwsError } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack, TRANSITION_MS } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe('SecurityGroup', () => {
  it('authorizeIngress and revokeIngress change its rules', async () => {
    const group = await stack.ec2.createSecurityGroup({ GroupName: 'web', Description: 'web servers' });
    expect(group.id).toMatch(/^sg-/);
    expect(group.groupName).toBe('web');
    const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] };
    await group.authorizeIngress({ IpPermissions: [ssh] });
    await group.load();
    expect(group.ipPermissions).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }),
    ]);
    await group.revokeIngress({ IpPermissions: [ssh] });
    expect((await group.load()).ipPermissions ?? []).toEqual([]);

    const listed = await stack.ec2.securityGroups.filter({ GroupIds: [group.id] }).all();
    expect(listed.map((g) => g.groupName)).toEqual(['web']);
    await group.delete();
    const err = await group.load().catch((e: unknown) => e);
    expect(isAwsError(err, 'InvalidGroup.NotFound')).toBe(true);
  });
});

describe('KeyPair', () => {
  it('createKeyPair returns the private key once; load and delete by name', async () => {
    const key = await stack.ec2.createKeyPair({ KeyName: 'deploy' });
    expect(key.name).toBe('deploy');
    expect(key.keyMaterial).toContain('PRIVATE KEY');
    expect(key.keyFingerprint).toBeTruthy();

    const loaded = await stack.ec2.KeyPair('deploy').load();
    expect(loaded.keyPairId).toBe(key.keyPairId);
    expect(loaded.keyMaterial).toBeUndefined();
    expect((await stack.ec2.keyPairs.all()).map((k) => k.name)).toContain('deploy');

    await key.delete();
    const err = await stack.ec2
      .KeyPair('deploy')
      .load()
      .catch((e: unknown) => e);
    expect(isAwsError(err, 'InvalidKeyPair.NotFound')).toBe(true);
  });
});

describe('Image', () => {
  it('the images collection and Image(id).load() read AMIs', async () => {
    const imageId = await someImageId(stack);
    const image = await stack.ec2.Image(imageId).load();
    expect(image.name).toMatch(/^al2023-/);
    expect(image.imageId).toBe(imageId);
    expect(image.state).toBe('available');
  });
});

describe('Volume', () => {
  it('attach and detach to an instance', async () => {
    const [instance] = await stack.ec2.createInstances({
      ImageId: await someImageId(stack),
      MinCount: 1,
      MaxCount: 1,
    });
    if (!instance) throw new Error('no instance');
    stack.emu.clock.advance(TRANSITION_MS);
    await instance.load();
    const volume = await stack.ec2.createVolume({
      AvailabilityZone: instance.placement?.AvailabilityZone ?? '',
      Size: 8,
    });
    expect(volume.id).toMatch(/^vol-/);
    expect(volume.size).toBe(8);

    await volume.attach(instance, '/dev/sdf');
    stack.emu.clock.advance(TRANSITION_MS);
    await volume.load();
    expect(volume.attachments?.[0]).toEqual(
      expect.objectContaining({ InstanceId: instance.id, Device: '/dev/sdf' }),
    );
    expect((await stack.ec2.volumes.filter({ VolumeIds: [volume.id] }).all()).map((v) => v.id)).toEqual([
      volume.id,
    ]);

    await volume.detach();
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await volume.load()).attachments ?? []).toEqual([]);
    await volume.delete();
  });
});

describe('Vpc and Subnet', () => {
  it('create a VPC and a subnet in it; vpc.subnets finds it', async () => {
    const vpc = await stack.ec2.createVpc({ CidrBlock: '10.20.0.0/16' });
    expect(vpc.id).toMatch(/^vpc-/);
    expect(vpc.cidrBlock).toBe('10.20.0.0/16');
    const subnet = await stack.ec2.createSubnet({ VpcId: vpc.id, CidrBlock: '10.20.1.0/24' });
    expect(subnet.vpcId).toBe(vpc.id);
    expect((await vpc.subnets.all()).map((s) => s.id)).toEqual([subnet.id]);
    expect((await stack.ec2.Subnet(subnet.id).load()).cidrBlock).toBe('10.20.1.0/24');
    expect((await stack.ec2.vpcs.filter({ VpcIds: [vpc.id] }).all()).map((v) => v.id)).toEqual([vpc.id]);
    await subnet.delete();
    await vpc.delete();
    const err = await vpc.load().catch((e: unknown) => e);
    expect(isAwsError(err, 'InvalidVpcID.NotFound')).toBe(true);
  });
});
