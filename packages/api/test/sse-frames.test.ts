import { transformer } from '@aws-trpc/shared';
import { tracked } from '@trpc/server';
// biome-ignore lint/style/noRestrictedImports: this conformance test compares our frames with the bytes of tRPC's own SSE producer, exported only here; a tRPC change should fail it.
import { sseStreamProducer } from '@trpc/server/unstable-core-do-not-import';
import { describe, expect, it } from 'vitest';
import { connectedFrame, FrameEncoder, resumableId, returnFrame } from '../src/http/sse/frames';

/** What tRPC's own SSE producer writes for `values`, as text. */
async function trpcBytes(values: unknown[], lastEventId: string | null, client = {}): Promise<string> {
  async function* data() {
    yield* values;
  }
  const stream = sseStreamProducer({ data: data(), serialize: transformer.serialize, lastEventId, client });
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  return text;
}

/** What the gateway's responder writes for the same stream: connected, the values' frames, return. */
function ourBytes(values: unknown[], lastEventId: string | null, client = {}): string {
  const encoder = new FrameEncoder(transformer.serialize);
  const frames: Buffer[] = [connectedFrame(client)];
  let lastId = resumableId(lastEventId);
  for (const value of values) {
    const out = encoder.frames(value, lastId);
    lastId = out.lastId;
    frames.push(...out.frames);
  }
  frames.push(returnFrame);
  return Buffer.concat(frames).toString('utf8');
}

const change = (id: string) => ({
  type: 'change',
  instanceId: id,
  previousState: 'pending',
  state: 'running',
  observedAt: '2026-11-27T00:00:00.000Z',
  launchTime: new Date('2026-11-27T00:00:00.000Z'),
  bytes: new Uint8Array([1, 2, 3]),
});

describe('SSE frames, byte for byte as tRPC writes them', () => {
  const cases: [string, unknown[], string | null][] = [
    ['tracked events', [tracked('e.1', change('i-1')), tracked('e.2', change('i-2'))], null],
    ['untracked events with no last id', [{ type: 'status', status: 'degraded' }, 'text', 42, null], null],
    ['an untracked event after a resume: empty id, then restore-id', [{ type: 'status' }], 'e.7'],
    [
      'tracked then untracked: the untracked one restores the tracked id',
      [tracked('e.3', change('i-3')), 7],
      null,
    ],
    ['a last id EventSource could not send back is ignored', [{ type: 'status' }], 'bad\nid'],
    ['tracked primitives and null', [tracked('e.4', 'x'), tracked('e.5', null)], null],
  ];
  it.each(cases)('%s', async (_name, values, lastEventId) => {
    expect(ourBytes(values, lastEventId)).toBe(await trpcBytes(values, lastEventId));
  });

  it('writes the client options in the connected frame', async () => {
    const client = { reconnectAfterInactivityMs: 40_000 };
    const ours = ourBytes([], null, client);
    expect(ours).toBe(await trpcBytes([], null, client));
    expect(ours).toContain('event: connected\ndata: {"reconnectAfterInactivityMs":40000}\n');
  });
});

describe('FrameEncoder', () => {
  it('encodes a shared event object once, whoever receives it', () => {
    let serialized = 0;
    const encoder = new FrameEncoder((v) => {
      serialized++;
      return transformer.serialize(v);
    });
    const event = change('i-1');
    const first = encoder.frames(tracked('e.1', event), null).frames[0];
    const again = encoder.frames(tracked('e.1', event), 'e.0').frames[0];
    expect(again).toBe(first);
    expect(serialized).toBe(1);
  });

  it('does not reuse a frame when the same object comes with another id', () => {
    const encoder = new FrameEncoder(transformer.serialize);
    const event = change('i-1');
    const a = encoder.frames(tracked('e.1', event), null).frames[0]!.toString();
    const b = encoder.frames(tracked('e.2', event), null).frames[0]!.toString();
    expect(a).toContain('id: e.1\n');
    expect(b).toContain('id: e.2\n');
  });

  it('never caches untracked values (their frame depends on the connection)', () => {
    const encoder = new FrameEncoder(transformer.serialize);
    const status = { type: 'status', status: 'degraded' };
    const fresh = encoder.frames(status, null);
    const resumed = encoder.frames(status, 'e.9');
    expect(fresh.frames).toHaveLength(1);
    expect(resumed.frames.map((f) => f.toString())).toEqual([
      `data: ${JSON.stringify(transformer.serialize(status))}\nid: \n\n\n`,
      'event: restore-id\ndata: \nid: e.9\n\n\n',
    ]);
    expect(resumed.lastId).toBe('e.9');
  });
});
