import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import { createGateway, type Gateway } from '@aws-trpc/api';
import { transformer } from '@aws-trpc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isData, isPing, openSse, type SseReader } from '../../src/sse-reader';
import { type StreamsHarness, startStreamsHarness } from './streams-harness';

/**
 * The gateway writes subscriptions' SSE itself (api/src/http/sse/). Here the same gateway (same deps, so the
 * same state source and event ids) is served twice, once by our writer and once by tRPC's own SSE
 * producer, and the two byte streams must be equal: tRPC's clients cannot tell them apart.
 */
let h: StreamsHarness;
let trpcGateway: Gateway;
let trpcUrl: string;
const opened: SseReader[] = [];

beforeAll(async () => {
  h = await startStreamsHarness({ slowIntervalMs: 1_000 });
  // A second HTTP server over the same long-lived pieces, with tRPC's own SSE producer.
  trpcGateway = createGateway({ sse: 'trpc' }, h.gateway.deps);
  trpcUrl = (await trpcGateway.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  for (const r of opened) r.close();
  // Only its HTTP server: the deps are the first gateway's, closed with it.
  await trpcGateway?.http.close(100);
  await h?.close();
});

const query = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(transformer.serialize(input)))}`;

/** The same GET against both servers. */
function both(pathAndQuery: string, headers: Record<string, string> = {}) {
  const ours = openSse(`${h.url}/${pathAndQuery}`, headers);
  const theirs = openSse(`${trpcUrl}/${pathAndQuery}`, headers);
  opened.push(ours, theirs);
  return { ours, theirs };
}

/** The frames as written, minus pings (their timing differs by design: one shared timer here). */
const written = (r: SseReader) => r.frames.filter((f) => !isPing(f)).map((f) => f.raw);

describe('the gateway SSE writer, against tRPC’s own', () => {
  let id: string;
  let snapshotId: string;

  it('writes the same headers, connected frame, snapshot and changes', async () => {
    id = await h.run();
    const { ours, theirs } = both(`ec2.onInstanceStateChange?${query({ instanceIds: [id] })}`);
    const [a, b] = await Promise.all([ours.status, theirs.status]);
    expect(a.statusCode).toBe(200);
    expect(a.statusCode).toBe(b.statusCode);
    for (const header of [
      'content-type',
      'cache-control',
      'x-accel-buffering',
      'connection',
      'transfer-encoding',
    ])
      expect([header, a.headers[header]]).toEqual([header, b.headers[header]]);

    await Promise.all([ours.until(isData), theirs.until(isData)]);
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await h.scheduler.advance(1_000); // stopping
    await h.scheduler.advance(5_000); // stopped
    await Promise.all([ours.until(isData, 3), theirs.until(isData, 3)]);

    expect(written(ours)).toEqual(written(theirs));
    expect(ours.frames[0]!.raw).toBe('event: connected\ndata: {"reconnectAfterInactivityMs":40000}');
    const data = ours.frames.filter(isData);
    expect(data.map((f) => (transformer.deserialize(JSON.parse(f.data)) as { type: string }).type)).toEqual([
      'snapshot',
      'change',
      'change',
    ]);
    snapshotId = data[0]!.id!;
    expect(snapshotId).toMatch(/\.\d+$/);
  });

  it('replays the same events to a client that resumes with Last-Event-ID', async () => {
    const { ours, theirs } = both(`ec2.onInstanceStateChange?${query({ instanceIds: [id] })}`, {
      'last-event-id': snapshotId,
    });
    await Promise.all([ours.until(isData, 2), theirs.until(isData, 2)]);
    expect(written(ours)).toEqual(written(theirs));
    expect(ours.frames.filter(isData).map((f) => f.id)).not.toContain(snapshotId);
  });

  it('streams every instance to a subscription with no input at all', async () => {
    const { ours, theirs } = both('ec2.onInstanceStateChange');
    await Promise.all([ours.until(isData), theirs.until(isData)]);
    expect(written(ours)).toEqual(written(theirs));
    const snapshot = transformer.deserialize(JSON.parse(ours.frames.find(isData)!.data)) as {
      type: string;
      instances: { instanceId: string }[];
    };
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.instances.map((i) => i.instanceId)).toContain(id);
  });

  it('writes the same error frame for bad input, and ends the stream', async () => {
    const { ours, theirs } = both(`ec2.onInstanceStateChange?${query({ instanceId: [id] })}`);
    await Promise.all([ours.ended, theirs.ended]);
    expect(written(ours)).toEqual(written(theirs));
    const error = ours.frames.find((f) => f.event === 'serialized-error');
    expect(error?.data).toContain('BAD_REQUEST');
    expect(error?.data).toContain('instanceId');
  });

  it('writes the same frames for input that is not JSON', async () => {
    const { ours, theirs } = both('ec2.onInstanceStateChange?input=%7Bnot-json');
    await Promise.all([ours.ended, theirs.ended]);
    expect(written(ours)).toEqual(written(theirs));
    expect(ours.frames.find((f) => f.event === 'serialized-error')?.data).toContain('BAD_REQUEST');
  });

  const hostile: [string, string, Record<string, string>][] = [
    ['input that is an array', `ec2.onInstanceStateChange?${query([1, 2])}`, {}],
    ['input that is a number', `ec2.onInstanceStateChange?${query(7)}`, {}],
    ['a __proto__ key', 'ec2.onInstanceStateChange?input=%7B%22j%22%3A%7B%22__proto__%22%3A%7B%7D%7D%7D', {}],
    ['a transformer payload that is not one', 'ec2.onInstanceStateChange?input=%5B%5D', {}],
    [
      'a Last-Event-ID that is not ours',
      `ec2.onInstanceStateChange?${query({})}`,
      { 'last-event-id': 'x'.repeat(300) },
    ],
    ['a waiter with an unknown member', `ec2.waitUntilInstanceRunning?${query({ Bogus: 1 })}`, {}],
  ];
  it.each(hostile)('refuses %s with the same error frame as tRPC', async (_name, pathAndQuery, headers) => {
    const { ours, theirs } = both(pathAndQuery, headers);
    await Promise.all([ours.ended, theirs.ended]);
    expect(written(ours)).toEqual(written(theirs));
    expect(ours.frames.find((f) => f.event === 'serialized-error')?.data).toMatch(/BAD_REQUEST|PARSE_ERROR/);
  });

  // The one difference, on purpose: tRPC refuses bad connection params before it starts the stream, with
  // a plain HTTP error that an EventSource only sees as a failed connection; here the stream carries the
  // typed PARSE_ERROR, as it does for every other refusal.
  it.each([
    ['not JSON', 'connectionParams=%7B', 'Not JSON-parsable query params'],
    ['a number value', 'connectionParams=%7B%22token%22%3A1%7D', 'Invalid connection params shape'],
  ])('refuses connection params that are %s with a PARSE_ERROR frame', async (_name, params, message) => {
    const { ours, theirs } = both(`ec2.onInstanceStateChange?${params}`);
    await Promise.all([ours.ended, theirs.ended]);
    const error = ours.frames.find((f) => f.event === 'serialized-error');
    expect(error?.data).toContain('PARSE_ERROR');
    expect(error?.data).toContain(message);
    expect((await theirs.status).statusCode).toBe(400);
    expect(theirs.frames).toEqual([]);
  });

  it('is still up after all of that', async () => {
    const health = await fetch(`${h.url.replace(/\/trpc$/, '')}/healthz`);
    expect(health.status).toBe(200);
    expect(h.emu.control.requests.count({ action: 'DescribeInstances' })).toBeGreaterThan(0);
  });

  it('ends a finished subscription (a waiter) with the same return frame', async () => {
    const { ours, theirs } = both(`ec2.waitUntilInstanceStopped?${query({ InstanceIds: [id] })}`);
    await Promise.all([ours.ended, theirs.ended]);
    expect(written(ours)).toEqual(written(theirs));
    expect(ours.frames.at(-1)?.event).toBe('return');
    expect(ours.frames.filter(isData).some((f) => f.data.includes('success'))).toBe(true);
  });
});
