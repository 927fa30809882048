import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack } from './stack';

/**
 * `ec2.onInstanceStateChange({ region })`: the gateway reads and authorizes a subscription's region from
 * the connection, so the client routes a subscription by the region its input names.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The instance ids of the first event (the snapshot) of a subscription. */
function snapshotIds(input: { region?: string }, context?: { region: string }): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const sub = stack.client.ec2.onInstanceStateChange.subscribe(input, {
      ...(context ? { context } : {}),
      onData: (value) => {
        sub.unsubscribe();
        const data = 'data' in value ? value.data : value;
        if (data.type === 'snapshot') resolve(data.instances.map((i) => i.instanceId));
        else reject(new Error(`expected a snapshot first, got ${data.type}`));
      },
      onError: (error) => {
        sub.unsubscribe();
        reject(error);
      },
    });
  });
}

describe('a subscription in another region', () => {
  it('is routed by its input region, without a call context', async () => {
    const ImageId = await someImageId(stack);
    const launched = await stack.client.ec2.runInstances.mutate(
      { ImageId, MinCount: 1, MaxCount: 1 },
      { context: { region: 'eu-west-1' } },
    );
    const id = launched.Instances![0]!.InstanceId!;

    expect(await snapshotIds({ region: 'eu-west-1' })).toEqual([id]);
    expect(await snapshotIds({})).not.toContain(id); // the client's default region, us-east-1
    // An explicit call context still wins, and then the input must agree with it.
    await expect(snapshotIds({ region: 'eu-west-1' }, { region: 'us-east-1' })).rejects.toThrow(
      /differs from the call's region/,
    );
  });
});
