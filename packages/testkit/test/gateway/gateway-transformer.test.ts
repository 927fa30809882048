import { createHash, generateKeyPairSync } from 'node:crypto';
import { deserialize, serialize } from '@aws-trpc/shared';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInstancesOutput } from '../../src/describe-instances-fixture';
import { type Harness, startHarness } from './harness';

/** Over the wire exactly as tRPC does it: serialize, JSON text, parse, deserialize. */
const wire = <T>(value: T): T => deserialize(JSON.parse(JSON.stringify(serialize(value)))) as T;

describe('the transformer', () => {
  it('keeps Dates at every depth of a DescribeInstances output', () => {
    const value = describeInstancesOutput(50);
    const back = wire(value);
    expect(back).toEqual(value);
    const instance = back.Reservations?.[0]?.Instances?.[49];
    expect(instance?.LaunchTime).toBeInstanceOf(Date);
    expect(instance?.NetworkInterfaces?.[0]?.Attachment?.AttachTime).toBeInstanceOf(Date);
    expect(instance?.LaunchTime?.getTime()).toBe(
      value.Reservations?.[0]?.Instances?.[49]?.LaunchTime?.getTime(),
    );
  });

  it('keeps Uint8Array bytes, top level and nested', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    expect(wire(bytes)).toEqual(bytes);
    const back = wire({ KeyName: 'k', PublicKeyMaterial: bytes, list: [bytes.subarray(1, 3)] });
    expect(back.PublicKeyMaterial).toBeInstanceOf(Uint8Array);
    expect([...back.PublicKeyMaterial]).toEqual([0, 1, 2, 250, 255]);
    expect([...(back.list[0] as Uint8Array)]).toEqual([1, 2]);
  });

  it('leaves plain data plain, undefined as undefined, and does not confuse user keys with tags', () => {
    expect(serialize(undefined)).toBeUndefined();
    expect(deserialize(undefined)).toBeUndefined();
    expect(wire({ a: 1, b: [true, null, 'x'] })).toEqual({ a: 1, b: [true, null, 'x'] });
    expect(wire({ j: 1, m: [[['j'], 'D']] })).toEqual({ j: 1, m: [[['j'], 'D']] });
    expect(JSON.stringify(serialize({ a: 1 }))).toBe('{"j":{"a":1}}');
  });

  it('keeps an own __proto__ key a key (for the validator to refuse), never a prototype', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    expect(JSON.stringify(serialize(hostile))).toBe('{"j":{"__proto__":{"polluted":true},"a":1}}');
    const back = wire(hostile) as Record<string, unknown>;
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never follows a mark through __proto__ (payloads come from the network)', () => {
    const hostile = JSON.parse(
      '{"j":{"x":{}},"m":[[["__proto__","polluted"],"D"],[["x","__proto__","polluted"],"D"]]}',
    );
    const back = deserialize(hostile) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(back).toEqual({ x: {} });
  });
});

/** An OpenSSH ed25519 public key line, and the fingerprint EC2 gives such a key (base64 SHA-256 of the blob). */
function ed25519PublicKey(): { line: string; fingerprint: string } {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  const fingerprint = `${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}=`;
  return { line: `ssh-ed25519 ${blob.toString('base64')} test`, fingerprint };
}

describe('Dates and bytes through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('sends PublicKeyMaterial as bytes (importKeyPair) and gets CreateTime back as a Date', async () => {
    const { line, fingerprint } = ed25519PublicKey();
    const imported = await h.client.ec2.importKeyPair.mutate({
      KeyName: 'imported',
      PublicKeyMaterial: new TextEncoder().encode(line),
    });
    expect(imported.KeyFingerprint).toBe(fingerprint);

    const { KeyPairs } = await h.client.ec2.describeKeyPairs.query({
      KeyNames: ['imported'],
      IncludePublicKey: true,
    });
    expect(KeyPairs?.[0]?.PublicKey).toBe(line);
    expect(KeyPairs?.[0]?.CreateTime).toBeInstanceOf(Date);
    expect(KeyPairs?.[0]?.CreateTime?.getTime()).toBe(h.emu.clock.now());
  });

  it('gets LaunchTime as the Date the emulator launched at', async () => {
    const { Images } = await h.client.ec2.describeImages.query({});
    const ImageId = Images?.[0]?.ImageId ?? 'missing';
    h.emu.clock.advance(60_000);
    const run = await h.client.ec2.runInstances.mutate({ ImageId, MinCount: 1, MaxCount: 1 });
    const launched = run.Instances?.[0]?.LaunchTime;
    expect(launched).toBeInstanceOf(Date);
    expect(launched?.getTime()).toBe(h.emu.clock.now());
  });

  it('accepts a Date input, and refuses an epoch number where the SDK wants a timestamp', async () => {
    const asDate = await h.client.ec2.describeSpotPriceHistory
      .query({ StartTime: new Date(Date.UTC(2026, 0, 1)) })
      .then(
        () => null,
        (e: unknown) => e,
      );
    // Whatever the emulator answers, it is not the gateway's validation refusing the timestamp.
    if (asDate instanceof TRPCClientError) expect(asDate.data?.validation).toBeNull();

    const asNumber = await h.client.ec2.describeSpotPriceHistory
      .query({ StartTime: 1_767_225_600_000 as unknown as Date })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(asNumber).toBeInstanceOf(TRPCClientError);
    expect((asNumber as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
