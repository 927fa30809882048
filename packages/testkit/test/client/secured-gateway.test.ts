import { createHash } from 'node:crypto';
import { createClient } from '@aws-trpc/client/browser';
import type { Emulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../src/index';

/**
 * The client against a gateway that requires tokens, through the browser entry of the client:
 * the default link chain authenticates queries (header) and subscriptions (the runtime's EventSource,
 * or the `eventsource` package on Node.js 20), and `gateway.whoami` says what a token may call.
 */

const adminToken = 'atrpc_client-test-admin';
const readerToken = 'atrpc_client-test-reader';
const sha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

let stack: Stack;
let emu: Emulator;
let url: string;
beforeAll(async () => {
  stack = await startStack({
    auth: {
      tokens: [
        { name: 'admin', sha256: sha256(adminToken), allow: ['*'] },
        { name: 'reader', sha256: sha256(readerToken), allow: ['ec2:read'] },
      ],
    },
    streams: { fastIntervalMs: 1_000, slowIntervalMs: 10_000 },
  });
  emu = stack.emulator!;
  url = stack.url;
});
afterAll(() => stack?.close());

/** The first event of a subscription, or its error code. */
function firstEvent(client: ReturnType<typeof createClient>, input: object): Promise<unknown> {
  return new Promise((resolve) => {
    const sub = client.ec2.onInstanceStateChange.subscribe(input, {
      onData(value) {
        sub.unsubscribe();
        resolve(value);
      },
      onError(error) {
        sub.unsubscribe();
        resolve({ error: (error as { data?: { code?: string } }).data?.code ?? String(error) });
      },
    });
  });
}

describe('a client of a secured gateway', () => {
  it('subscribes with its token over the default EventSource', async () => {
    const event = (await firstEvent(createClient({ url, token: adminToken }), {})) as {
      data?: { type?: string };
    };
    expect(event.data?.type).toBe('snapshot');
  });

  it('is refused a subscription without a token', async () => {
    expect(await firstEvent(createClient({ url, retry: false }), {})).toEqual({ error: 'UNAUTHORIZED' });
  });

  it('reads what its token may call from gateway.whoami, and is refused the rest before AWS', async () => {
    const reader = createClient({ url, token: readerToken });
    const me = await reader.gateway.whoami.query();
    expect(me.principal).toBe('reader');
    expect(me.procedures.ec2).toContain('describeInstances');
    expect(me.procedures.ec2).not.toContain('terminateInstances');
    expect(me.procedures.elb).toEqual([]);
    await expect(
      reader.ec2.terminateInstances.mutate({ InstanceIds: ['i-0123456789abcdef0'] }),
    ).rejects.toThrow(/not allowed to call ec2:TerminateInstances/);
    expect(emu.control.requests.count({ action: 'TerminateInstances' })).toBe(0);
  });
});
