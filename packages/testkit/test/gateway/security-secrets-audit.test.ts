import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '@aws-trpc/api';
import { inputDigest } from '@aws-trpc/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSecuredGateway, tokens } from './security-harness';

const auditFile = join(mkdtempSync(join(tmpdir(), 'aws-trpc-audit-')), 'audit.jsonl');
let h: Harness;
beforeAll(async () => {
  // Debug level: the gateway logs (redacted) inputs too, the riskiest setting for secrets.
  h = await startSecuredGateway({ logLevel: 'debug', security: { auditFile } });
});
afterAll(() => h?.close());
let imageId: string;

const readAudit = async (): Promise<AuditRecord[]> => {
  await h.security.audit.flush();
  return readFileSync(auditFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
};

// Distinctive secrets: each must appear nowhere, in any encoding the gateway could write it.
const script = '#!/bin/sh\necho topsecret-password-7f3a91 > /etc/app.conf\n';
const userData = Buffer.from(script).toString('base64');
const publicKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyMaterialThatMustNeverBeLogged0123456789abcd test@example';

function traces(text: string): string[] {
  const needles = [
    'topsecret-password-7f3a91',
    userData,
    userData.slice(0, 24),
    'KeyMaterialThatMustNeverBeLogged',
    Buffer.from(publicKey).toString('base64').slice(8, 40),
    tokens.admin,
  ];
  return needles.filter((n) => text.includes(n));
}

describe('secrets and the audit log', () => {
  it('RunInstances with UserData and ImportKeyPair leave no trace in logs or the audit file', async () => {
    const c = h.client(tokens.admin);
    imageId = (await c.ec2.describeImages.query({ Owners: ['amazon'] })).Images[0].ImageId;
    const run = await c.ec2.runInstances.mutate({
      ImageId: imageId,
      MinCount: 1,
      MaxCount: 1,
      UserData: userData,
    });
    expect(run.Instances).toHaveLength(1);
    await c.ec2.importKeyPair.mutate({
      KeyName: 'ci-key',
      PublicKeyMaterial: new TextEncoder().encode(publicKey),
    });
    // A failed mutation that carries a secret, too.
    await expect(
      c.ec2.importKeyPair.mutate({
        KeyName: 'ci-key',
        PublicKeyMaterial: new TextEncoder().encode(publicKey),
      }),
    ).rejects.toThrow();

    const audit = readFileSync(auditFile, 'utf8');
    await h.security.audit.flush();
    expect(traces(audit)).toEqual([]);
    expect(traces(h.logs.text)).toEqual([]);
    // The debug input logging did run, redacted: the secrets were there to leak.
    expect(h.logs.text).toContain('[REDACTED');
    expect(h.logs.text).toContain('"MinCount":1');
  });

  it('at debug, a misspelled secret member (userData) is redacted before validation refuses it, as is every refused value', async () => {
    h.emulator.control.requests.clear();
    const c = h.client(tokens.admin);
    const misspelled = Buffer.from('misspelled-secret-4b2e19').toString('base64');
    const unknownSecret = 'unknown-member-secret-c81d07';
    const error = await c.ec2.runInstances
      .mutate({ ImageId: imageId, MinCount: 1, MaxCount: 1, userData: misspelled, xNote: unknownSecret })
      .catch((e: any) => e);
    expect(error.data.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Unknown member userData of RunInstancesRequest; did you mean UserData?');
    expect(h.emulator.control.requests.count()).toBe(0);
    for (const secret of [misspelled, 'misspelled-secret-4b2e19', unknownSecret])
      expect(h.logs.text).not.toContain(secret);
    // The debug line was written, with the refused members marked.
    expect(h.logs.text).toMatch(/"procedure":"ec2.runInstances".*"userData":"\[REDACTED \d+ chars\]"/);
    expect(h.logs.text).toMatch(/"xNote":"\[REDACTED 28 chars\]"/);
  });

  it('writes one JSON line per mutation: time, token, operation, region, replica, digest, outcome, AWS request id', async () => {
    // The refused RunInstances (misspelled member) passed authorization, so it is audited too.
    const records = await readAudit();
    const [run, imported, duplicate, refused] = records;
    expect(records).toHaveLength(4);
    expect(refused).toMatchObject({ operation: 'ec2:RunInstances', outcome: 'error', code: 'BAD_REQUEST' });
    expect(run).toMatchObject({
      token: 'admin',
      operation: 'ec2:RunInstances',
      procedure: 'ec2.runInstances',
      region: 'us-east-1',
      outcome: 'ok',
    });
    expect(run!.inputDigest).toBe(
      inputDigest({ ImageId: imageId, MinCount: 1, MaxCount: 1, UserData: userData }),
    );
    expect(run!.awsRequestId).toMatch(/\S{8,}/);
    expect(Date.parse(run!.time)).not.toBeNaN();
    // Without Redis or --replica-id, the replica is this process: its host and pid.
    expect(run!.replica).toBe(`${hostname()}:${process.pid}`);
    expect(imported).toMatchObject({ operation: 'ec2:ImportKeyPair', outcome: 'ok' });
    expect(duplicate).toMatchObject({
      operation: 'ec2:ImportKeyPair',
      outcome: 'error',
      awsCode: 'InvalidKeyPair.Duplicate',
    });
    expect(duplicate!.awsRequestId).toMatch(/\S{8,}/);
  });

  it('does not audit queries or refused mutations; the log records refusals with the principal', async () => {
    const before = (await readAudit()).length;
    await h.client(tokens.admin).ec2.describeInstances.query({});
    await expect(
      h.client(tokens.reader).ec2.stopInstances.mutate({ InstanceIds: ['i-0123456789abcdef0'] }),
    ).rejects.toThrow(/not allowed/);
    expect((await readAudit()).length).toBe(before);
    // Refusals are still in the structured log, with the token name and the outcome.
    expect(h.logs.text).toMatch(
      /"procedure":"ec2.stopInstances".*"principal":"reader".*"outcome":"FORBIDDEN"/,
    );
  });
});
