import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  CreateImageCommand,
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000 });

describe('images', () => {
  it('seeds Amazon Linux, Ubuntu and Windows with their real owners', async () => {
    const amazon = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    const names = amazon.Images!.map((i) => i.Name!);
    expect(names.some((n) => n.startsWith('al2023-ami-'))).toBe(true);
    expect(names.some((n) => n.startsWith('Windows_Server-2022-English-Full-Base'))).toBe(true);
    expect(amazon.Images!.every((i) => i.ImageOwnerAlias === 'amazon')).toBe(true);
    const canonical = await t.ec2.send(new DescribeImagesCommand({ Owners: ['099720109477'] }));
    expect(canonical.Images!.map((i) => i.Name)).toContain(
      'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119',
    );
    const windows = await t.ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'platform', Values: ['windows'] }] }),
    );
    expect(windows.Images).toHaveLength(1);
    const arm = await t.ec2.send(
      new DescribeImagesCommand({
        Filters: [
          { Name: 'architecture', Values: ['arm64'] },
          { Name: 'name', Values: ['al2023-*'] },
        ],
      }),
    );
    expect(arm.Images!.map((i) => i.Architecture)).toEqual(['arm64']);
    const self = await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(self.Images).toEqual([]);
  });

  it('answers NotFound and Malformed for image ids', async () => {
    const nf = await awsError(t.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })));
    expect(nf).toMatchObject({
      code: 'InvalidAMIID.NotFound',
      message: "The image id '[ami-0123456789abcdef0]' does not exist",
    });
    expect((await awsError(t.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-1'] })))).code).toBe(
      'InvalidAMIID.Malformed',
    );
  });

  it('creates an image from an instance (pending, then available) and deregisters it', async () => {
    const r = await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 }));
    const id = r.Instances![0]!.InstanceId!;
    const early = await awsError(t.ec2.send(new CreateImageCommand({ InstanceId: id, Name: 'too-early' })));
    expect(early.code).toBe('IncorrectInstanceState');
    t.emu.clock.advance(1_000);
    const { ImageId } = await t.ec2.send(
      new CreateImageCommand({
        InstanceId: id,
        Name: 'my-image',
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'k', Value: 'v' }] }],
      }),
    );
    expect(ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
    const mine = await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(mine.Images).toHaveLength(1);
    expect(mine.Images![0]).toMatchObject({
      ImageId,
      Name: 'my-image',
      State: 'pending',
      Public: false,
      OwnerId: '123456789012',
    });
    expect(mine.Images![0]!.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    t.emu.clock.advance(1_000);
    expect((await t.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State).toBe(
      'available',
    );
    const dup = await awsError(t.ec2.send(new CreateImageCommand({ InstanceId: id, Name: 'my-image' })));
    expect(dup.code).toBe('InvalidAMIName.Duplicate');
    const launched = await t.ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 }));
    expect(launched.Instances![0]!.ImageId).toBe(ImageId);
    await t.ec2.send(new DeregisterImageCommand({ ImageId }));
    expect((await awsError(t.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] })))).code).toBe(
      'InvalidAMIID.NotFound',
    );
    expect((await awsError(t.ec2.send(new DeregisterImageCommand({ ImageId: AL2023 })))).code).toBe(
      'AuthFailure',
    );
  });
});

describe('key pairs', () => {
  it('creates an RSA key pair with PEM material and the SHA-1 fingerprint of its private key', async () => {
    const k = await t.ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy' }));
    expect(k.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    expect(k.KeyMaterial).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/,
    );
    expect(k.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(createPublicKey(k.KeyMaterial!).asymmetricKeyType).toBe('rsa');
    const dup = await awsError(t.ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy' })));
    expect(dup).toMatchObject({
      code: 'InvalidKeyPair.Duplicate',
      message: "The keypair 'deploy' already exists.",
    });
    const d = await t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['deploy'], IncludePublicKey: true }));
    expect(d.KeyPairs![0]).toMatchObject({
      KeyName: 'deploy',
      KeyType: 'rsa',
      KeyFingerprint: k.KeyFingerprint,
    });
    expect(d.KeyPairs![0]!.PublicKey).toMatch(/^ssh-rsa AAAA/);
  });

  it('imports an OpenSSH public key given as bytes, with the MD5 fingerprint', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const blob = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      raw,
    ]);
    const line = `ssh-ed25519 ${blob.toString('base64')} me@host`;
    const k = await t.ec2.send(
      new ImportKeyPairCommand({ KeyName: 'imported', PublicKeyMaterial: new TextEncoder().encode(line) }),
    );
    expect(k.KeyFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const { publicKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = rsa.export({ format: 'jwk' });
    const mp = (b: Buffer) => (b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 255, b.length & 255]), b]);
    const rsaBlob = Buffer.concat([
      str(Buffer.from('ssh-rsa')),
      str(mp(Buffer.from(jwk.e!, 'base64url'))),
      str(mp(Buffer.from(jwk.n!, 'base64url'))),
    ]);
    const r = await t.ec2.send(
      new ImportKeyPairCommand({
        KeyName: 'imported-rsa',
        PublicKeyMaterial: Buffer.from(`ssh-rsa ${rsaBlob.toString('base64')}`),
      }),
    );
    expect(r.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const bad = await awsError(
      t.ec2.send(
        new ImportKeyPairCommand({
          KeyName: 'bad',
          PublicKeyMaterial: new TextEncoder().encode('not a key'),
        }),
      ),
    );
    expect(bad.code).toBe('InvalidKey.Format');
  });

  it('describes with filters, deletes, and answers NotFound', async () => {
    await t.ec2.send(new CreateKeyPairCommand({ KeyName: 'temp', KeyType: 'ed25519' }));
    const byType = await t.ec2.send(
      new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-type', Values: ['ed25519'] }] }),
    );
    expect(byType.KeyPairs!.map((k) => k.KeyName)).toContain('temp');
    const del = await t.ec2.send(new DeleteKeyPairCommand({ KeyName: 'temp' }));
    expect(del.Return).toBe(true);
    const nf = await awsError(t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['temp'] })));
    expect(nf).toMatchObject({
      code: 'InvalidKeyPair.NotFound',
      message: "The key pair 'temp' does not exist",
    });
    expect((await awsError(t.ec2.send(new CreateKeyPairCommand({ KeyName: 'x', DryRun: true })))).code).toBe(
      'DryRunOperation',
    );
  });
});
