import { WaiterError } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack, TRANSITION_MS } from './stack';

let stack: Stack;
let imageId: string;
beforeAll(async () => {
  stack = await startStack();
  imageId = await someImageId(stack);
});
afterAll(() => stack?.close());

async function launchOne() {
  const [instance] = await stack.ec2.createInstances({ ImageId: imageId, MinCount: 1, MaxCount: 1 });
  if (!instance) throw new Error('no instance');
  return instance;
}

describe('Instance waiters', () => {
  it('waitUntilExists resolves and loads the instance', async () => {
    const instance = stack.ec2.Instance((await launchOne()).id);
    expect(instance.isLoaded).toBe(false);
    const result = await instance.waitUntilExists();
    expect(result.outcome).toBe('success');
    expect(instance.state?.Name).toBe('pending');
  });

  it('waitUntilRunning fails fast when the instance terminates instead', async () => {
    const instance = await launchOne();
    await instance.terminate();
    const err = await instance
      .waitUntilRunning({ minDelaySeconds: 1, onProgress: () => void stack.scheduler.advance(TRANSITION_MS) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaiterError);
    expect((err as WaiterError).outcome).toBe('failure');
  });

  it('waitUntilStopped times out with the last state seen', async () => {
    const instance = await launchOne();
    await stack.scheduler.advance(TRANSITION_MS);
    let started = () => {};
    const subscribed = new Promise<void>((resolve) => {
      started = resolve;
    });
    const waiting = instance.waitUntilStopped({
      maxWaitSeconds: 5,
      minDelaySeconds: 1,
      onProgress: () => started(),
    });
    const outcome = waiting.catch((e: unknown) => e);
    await subscribed;
    // Past maxWaitSeconds on the virtual clock; the instance stays running.
    for (let i = 0; i < 10; i++) await stack.scheduler.advance(1_000);
    const err = await outcome;
    expect(err).toBeInstanceOf(WaiterError);
    const { result } = err as WaiterError;
    expect(result.outcome).toBe('timeout');
    if (result.outcome === 'timeout') expect(Object.values(result.lastObserved)).toContain('running');
  });

  it('an AbortSignal ends the wait', async () => {
    const instance = await launchOne();
    await instance.stop().catch(() => undefined);
    const abort = new AbortController();
    const err = await instance
      .waitUntilStopped({ signal: abort.signal, onProgress: () => abort.abort() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaiterError);
    expect((err as WaiterError).outcome).toBe('aborted');
  });
});
