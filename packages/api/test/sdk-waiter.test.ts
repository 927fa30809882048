import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { evaluateAcceptorsOnce, type SendOnly } from '../src/waiters/sdk-waiter';

/** A client that answers every DescribeInstances with one instance in `state` and counts the calls. */
function clientAnswering(state: string | Error): SendOnly & { calls: number } {
  return {
    calls: 0,
    async send(command) {
      this.calls++;
      expect(command).toBeInstanceOf(DescribeInstancesCommand);
      if (state instanceof Error) throw state;
      return {
        Reservations: [{ Instances: [{ InstanceId: 'i-1', State: { Name: state } }] }],
        $metadata: {},
      };
    },
  };
}

// Pins what the gateway relies on in the SDK's waiters (@smithy/core util-waiter): `waitUntilX` with an
// already-aborted, unlistenable signal evaluates the acceptors exactly once and never sleeps. If an SDK
// upgrade changes that, these fail before any waiter misbehaves.
describe('evaluateAcceptorsOnce (the SDK waiter, one attempt)', () => {
  it('answers RETRY after exactly one call, without sleeping', async () => {
    const client = clientAnswering('pending');
    const started = performance.now();
    await expect(
      evaluateAcceptorsOnce('ec2', 'InstanceRunning', client, { InstanceIds: ['i-1'] }),
    ).resolves.toBe('RETRY');
    expect(client.calls).toBe(1);
    // The SDK's own loop would sleep at least minDelay (1 s) before a second attempt.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('answers SUCCESS and FAILURE from the SDK acceptors', async () => {
    const running = clientAnswering('running');
    await expect(
      evaluateAcceptorsOnce('ec2', 'InstanceRunning', running, { InstanceIds: ['i-1'] }),
    ).resolves.toBe('SUCCESS');
    // InstanceRunning's acceptors fail on terminated (and shutting-down, stopping).
    const terminated = clientAnswering('terminated');
    await expect(
      evaluateAcceptorsOnce('ec2', 'InstanceRunning', terminated, { InstanceIds: ['i-1'] }),
    ).resolves.toBe('FAILURE');
    expect(running.calls + terminated.calls).toBe(2);
  });

  it('answers RETRY for an error no acceptor matches, and refuses an unknown waiter', async () => {
    const failing = clientAnswering(Object.assign(new Error('slow down'), { name: 'RequestLimitExceeded' }));
    await expect(evaluateAcceptorsOnce('ec2', 'InstanceRunning', failing, {})).resolves.toBe('RETRY');
    await expect(evaluateAcceptorsOnce('ec2', 'NoSuchWaiter', failing, {})).rejects.toThrow(/no waiter/);
  });
});
