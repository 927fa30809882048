import { classifyError, isAwsError, ResourceNotLoadedError } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack, TRANSITION_MS } from './stack';

let stack: Stack;
let imageId: string;
beforeAll(async () => {
  stack = await startStack();
  imageId = await someImageId(stack);
});
afterAll(() => stack?.close());

describe('Instance', () => {
  it('createInstances returns Instance objects with typed attributes from RunInstances', async () => {
    const instances = await stack.ec2.createInstances({
      ImageId: imageId,
      MinCount: 2,
      MaxCount: 2,
      InstanceType: 't3.micro',
    });
    expect(instances).toHaveLength(2);
    const [first] = instances;
    expect(first?.id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(first?.instanceId).toBe(first?.id);
    expect(first?.state?.Name).toBe('pending');
    expect(first?.instanceType).toBe('t3.micro');
    expect(first?.imageId).toBe(imageId);
    expect(first?.launchTime).toBeInstanceOf(Date);
    expect(typeof first?.privateIpAddress).toBe('string');
  });

  it('start, stop, reboot and terminate drive the lifecycle; load() reads it back', async () => {
    const [instance] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    if (!instance) throw new Error('no instance');
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await instance.load()).state?.Name).toBe('running');

    const stopped = await instance.stop();
    expect(stopped.StoppingInstances?.[0]?.CurrentState?.Name).toBe('stopping');
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await instance.refresh()).state?.Name).toBe('stopped');

    await instance.start();
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await instance.load()).state?.Name).toBe('running');

    await instance.reboot();
    expect((await instance.load()).state?.Name).toBe('running');

    const terminated = await instance.terminate();
    expect(terminated.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('shutting-down');
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await instance.load()).state?.Name).toBe('terminated');
  });

  it('addTag/removeTag and createTags/deleteTags change the tags', async () => {
    const [instance] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    if (!instance) throw new Error('no instance');
    await instance.addTag('Name', 'web-1');
    await instance.createTags([
      { Key: 'env', Value: 'test' },
      { Key: 'team', Value: 'infra' },
    ]);
    await instance.load();
    expect(Object.fromEntries((instance.tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      Name: 'web-1',
      env: 'test',
      team: 'infra',
    });
    await instance.removeTag('env');
    await instance.removeTag('team', 'not-its-value');
    await instance.load();
    expect((instance.tags ?? []).map((t) => t.Key).sort()).toEqual(['Name', 'team']);
    await instance.deleteTags();
    expect((await instance.load()).tags ?? []).toEqual([]);
  });

  it('modifyAttribute changes an attribute; consoleOutput decodes the output', async () => {
    const [instance] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    if (!instance) throw new Error('no instance');
    await instance.modifyAttribute({ DisableApiTermination: { Value: true } });
    const attribute = await instance.describeAttribute('disableApiTermination');
    expect(attribute.DisableApiTermination?.Value).toBe(true);
    const refused = await instance.terminate().catch((err: unknown) => err);
    expect(isAwsError(refused, 'OperationNotPermitted')).toBe(true);

    stack.emu.clock.advance(TRANSITION_MS);
    const console = await instance.consoleOutput();
    expect(console.InstanceId).toBe(instance.id);
    if (console.Output !== undefined)
      expect(console.text).toBe(Buffer.from(console.Output, 'base64').toString());
  });

  it('reading an attribute before load() says so instead of returning undefined', async () => {
    const [created] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    const instance = stack.ec2.Instance(created?.id ?? '');
    expect(instance.isLoaded).toBe(false);
    expect(() => instance.state).toThrow(ResourceNotLoadedError);
    await instance.load();
    expect(instance.state?.Name).toBe('pending');
  });

  it('an unknown instance fails with a typed, classified NotFound', async () => {
    const err = await stack.ec2
      .Instance('i-0123456789abcdef0')
      .load()
      .catch((e: unknown) => e);
    expect(isAwsError(err, 'InvalidInstanceID.NotFound')).toBe(true);
    expect(isAwsError(err, ['InvalidInstanceID.Malformed', 'InvalidInstanceID.NotFound'])).toBe(true);
    expect(isAwsError(err, 'InvalidAMIID.NotFound')).toBe(false);
    if (!isAwsError(err, 'InvalidInstanceID.NotFound')) throw err;
    expect(err.data.aws.code).toBe('InvalidInstanceID.NotFound');
    expect(err.data.code).toBe('NOT_FOUND');
    expect(classifyError(err)).toBe('eventual-consistency');
  });

  it('a NotFound right after launch is retried briefly (eventual consistency); a later one is not', async () => {
    const [instance] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
    if (!instance) throw new Error('no instance');
    const notFound = {
      service: 'ec2' as const,
      action: 'DescribeInstances',
      code: 'InvalidInstanceID.NotFound',
      status: 400,
      message: `The instance ID '${instance.id}' does not exist`,
    };
    stack.emu.control.faults.fail(2, notFound);
    const before = stack.emu.control.requests.count({ action: 'DescribeInstances' });
    await instance.load();
    expect(instance.state?.Name).toBe('pending');
    expect(stack.emu.control.requests.count({ action: 'DescribeInstances' }) - before).toBe(3);

    // Once loaded, the instance is no longer "just launched": NotFound is final.
    stack.emu.control.faults.fail(1, notFound);
    const err = await instance.load().catch((e: unknown) => e);
    expect(isAwsError(err, 'InvalidInstanceID.NotFound')).toBe(true);
  });
});
