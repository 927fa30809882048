import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type {
  CreateKeyPairCommandInput,
  CreateKeyPairCommandOutput,
  DeleteKeyPairCommandInput,
  DeleteKeyPairCommandOutput,
  DescribeKeyPairsCommandInput,
  DescribeKeyPairsCommandOutput,
  ImportKeyPairCommandInput,
  ImportKeyPairCommandOutput,
  KeyPairInfo,
  KeyType,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  checkDryRun,
  invalidParameterValue,
  keyFormat,
  keyPairDuplicate,
  keyPairNotFound,
  missingParameter,
} from './errors';
import { compileFilters, type FilterTable } from './filters';
import { newId } from './ids';
import { dropTags, registerTaggable, setTags, tagReader, tagsFromSpecifications, tagsOf } from './tags';

/** Key pairs: created ones with real private keys, imported ones from OpenSSH public keys. */

interface KeyRecord {
  id: string;
  name: string;
  type: KeyType;
  fingerprint: string;
  publicKey: string;
  created: number;
}

const state = (region: Region) => region.slot('ec2.keyPairs', () => new Map<string, KeyRecord>());

export function findKeyPair(region: Region, name: string): KeyRecord {
  const k = state(region).get(name);
  if (!k) throw keyPairNotFound(name);
  return k;
}

const colonHex = (buf: Buffer) => buf.toString('hex').match(/../g)!.join(':');

/** The OpenSSH one-line form of a public key, as DescribeKeyPairs' PublicKey writes it. */
function openSshLine(key: KeyObject, type: KeyType, comment: string): string {
  const jwk = key.export({ format: 'jwk' });
  const parts: Buffer[] = [];
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  const mpint = (b: Buffer) => str(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  if (type === 'ed25519') {
    str(Buffer.from('ssh-ed25519'));
    str(Buffer.from(jwk.x!, 'base64url'));
    return `ssh-ed25519 ${Buffer.concat(parts).toString('base64')} ${comment}`;
  }
  str(Buffer.from('ssh-rsa'));
  mpint(Buffer.from(jwk.e!, 'base64url'));
  mpint(Buffer.from(jwk.n!, 'base64url'));
  return `ssh-rsa ${Buffer.concat(parts).toString('base64')} ${comment}`;
}

/** Reads `ssh-rsa AAAA… comment` or `ssh-ed25519 AAAA…` into a key; undefined when it is neither. */
function parseOpenSsh(text: string): { key: KeyObject; type: KeyType; blob: Buffer } | undefined {
  const m = /^(ssh-rsa|ssh-ed25519)\s+([A-Za-z0-9+/=]+)/.exec(text.trim());
  if (!m) return undefined;
  const blob = Buffer.from(m[2]!, 'base64');
  let off = 0;
  const next = () => {
    if (off + 4 > blob.length) throw new Error('short');
    const len = blob.readUInt32BE(off);
    const v = blob.subarray(off + 4, off + 4 + len);
    off += 4 + len;
    if (v.length !== len) throw new Error('short');
    return v;
  };
  try {
    if (next().toString() !== m[1]) return undefined;
    if (m[1] === 'ssh-ed25519') {
      const x = next();
      const key = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') },
        format: 'jwk',
      });
      return { key, type: 'ed25519', blob };
    }
    const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
    const e = strip(next());
    const n = strip(next());
    const key = createPublicKey({
      key: { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') },
      format: 'jwk',
    });
    return { key, type: 'rsa', blob };
  } catch {
    return undefined;
  }
}

function checkName(region: Region, name: string | undefined): string {
  if (!name) throw missingParameter('KeyName');
  if (name.length > 255) throw invalidParameterValue('Value for parameter KeyName exceeds 255 characters');
  if (state(region).has(name)) throw keyPairDuplicate(name);
  return name;
}

function infoShape(region: Region, k: KeyRecord, includePublicKey: boolean): KeyPairInfo {
  return {
    KeyPairId: k.id,
    KeyName: k.name,
    KeyType: k.type,
    KeyFingerprint: k.fingerprint,
    CreateTime: new Date(k.created),
    PublicKey: includePublicKey ? k.publicKey : undefined,
    Tags: tagsOf(region, k.id),
  };
}

/**
 * Fingerprints as EC2 computes them (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/verify-keys.html):
 * a created RSA key is the SHA-1 of its PKCS#8 DER private key, an imported RSA key the MD5 of its
 * DER public key, and an ed25519 key the base64 SHA-256 of its OpenSSH blob.
 */
const createKeyPair: Handler<CreateKeyPairCommandInput, Out<CreateKeyPairCommandOutput>> = (input, ctx) => {
  const name = checkName(ctx.region, input.KeyName);
  const type = input.KeyType ?? 'rsa';
  if (type !== 'rsa' && type !== 'ed25519')
    throw invalidParameterValue(`Invalid value '${type}' for KeyType.`);
  if (input.KeyFormat && input.KeyFormat !== 'pem')
    throw new AwsError('UnsupportedOperation', `The emulator writes key material in pem format only.`);
  const tags = tagsFromSpecifications(input.TagSpecifications, ['key-pair']);
  checkDryRun(input);
  let material: string;
  let fingerprint: string;
  let publicKey: KeyObject;
  if (type === 'ed25519') {
    const kp = generateKeyPairSync('ed25519');
    publicKey = kp.publicKey;
    material = kp.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const blob = Buffer.from(openSshLine(publicKey, type, '').split(' ')[1]!, 'base64');
    fingerprint = createHash('sha256').update(blob).digest('base64');
  } else {
    const kp = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = kp.publicKey;
    material = kp.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    fingerprint = colonHex(
      createHash('sha1')
        .update(kp.privateKey.export({ format: 'der', type: 'pkcs8' }))
        .digest(),
    );
  }
  const k: KeyRecord = {
    id: newId('key'),
    name,
    type,
    fingerprint,
    publicKey: openSshLine(publicKey, type, name),
    created: ctx.clock.now(),
  };
  state(ctx.region).set(name, k);
  setTags(ctx.region, k.id, tags.get('key-pair') ?? []);
  return {
    KeyPairId: k.id,
    KeyName: name,
    KeyFingerprint: fingerprint,
    KeyMaterial: material.trimEnd(),
    Tags: tagsOf(ctx.region, k.id),
  };
};

const importKeyPair: Handler<ImportKeyPairCommandInput, Out<ImportKeyPairCommandOutput>> = (input, ctx) => {
  const name = checkName(ctx.region, input.KeyName);
  const raw = input.PublicKeyMaterial;
  if (raw === undefined) throw missingParameter('PublicKeyMaterial');
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  const parsed = parseOpenSsh(text);
  if (!parsed) throw keyFormat();
  const tags = tagsFromSpecifications(input.TagSpecifications, ['key-pair']);
  checkDryRun(input);
  const fingerprint =
    parsed.type === 'ed25519'
      ? createHash('sha256').update(parsed.blob).digest('base64')
      : colonHex(
          createHash('md5')
            .update(parsed.key.export({ format: 'der', type: 'spki' }))
            .digest(),
        );
  const k: KeyRecord = {
    id: newId('key'),
    name,
    type: parsed.type,
    fingerprint,
    publicKey: text.trim(),
    created: ctx.clock.now(),
  };
  state(ctx.region).set(name, k);
  setTags(ctx.region, k.id, tags.get('key-pair') ?? []);
  return { KeyPairId: k.id, KeyName: name, KeyFingerprint: fingerprint, Tags: tagsOf(ctx.region, k.id) };
};

const filters: FilterTable<KeyRecord> = {
  'key-pair-id': (k) => k.id,
  'key-name': (k) => k.name,
  fingerprint: (k) => k.fingerprint,
  'key-type': (k) => k.type,
};

const describeKeyPairs: Handler<DescribeKeyPairsCommandInput, Out<DescribeKeyPairsCommandOutput>> = (
  input,
  ctx,
) => {
  const keys = state(ctx.region);
  for (const n of input.KeyNames ?? []) if (!keys.has(n)) throw keyPairNotFound(n);
  const ids = new Set([...keys.values()].map((k) => k.id));
  for (const id of input.KeyPairIds ?? []) if (!ids.has(id)) throw keyPairNotFound(id);
  const tags = tagReader(ctx.region);
  const keep = compileFilters(input.Filters, filters, (k) => tags(k.id));
  const KeyPairs = [...keys.values()]
    .filter(
      (k) =>
        (!input.KeyNames?.length || input.KeyNames.includes(k.name)) &&
        (!input.KeyPairIds?.length || input.KeyPairIds.includes(k.id)) &&
        keep(k),
    )
    .map((k) => infoShape(ctx.region, k, input.IncludePublicKey === true));
  return { KeyPairs };
};

/** Deleting a key that does not exist succeeds, as in AWS. */
const deleteKeyPair: Handler<DeleteKeyPairCommandInput, Out<DeleteKeyPairCommandOutput>> = (input, ctx) => {
  if (!input.KeyName && !input.KeyPairId) throw missingParameter('KeyName');
  checkDryRun(input);
  const keys = state(ctx.region);
  const k = input.KeyName
    ? keys.get(input.KeyName)
    : [...keys.values()].find((x) => x.id === input.KeyPairId);
  if (!k) return { Return: true };
  keys.delete(k.name);
  dropTags(ctx.region, k.id);
  return { Return: true, KeyPairId: k.id };
};

registerTaggable('key', {
  resourceType: 'key-pair',
  check: (region, id) => {
    if (![...state(region).values()].some((k) => k.id === id)) throw keyPairNotFound(id);
  },
});

export const keyPairHandlers: HandlerMap = {
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
};
