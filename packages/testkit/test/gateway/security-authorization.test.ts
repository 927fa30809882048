import { createGateway } from '@aws-trpc/api';
import { catalog } from '@aws-trpc/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allProcedures, callCode, type Harness, startSecuredGateway, tokens } from './security-harness';

let h: Harness;
beforeAll(async () => {
  h = await startSecuredGateway({ logLevel: 'silent' });
});
afterAll(() => h?.close());
beforeEach(() => h.emulator.control.requests.clear());

// The router itself (shared by every gateway of the process), walked before any gateway listens.
const procedures = allProcedures(createGateway().router);
/** The procedures of AWS operations; `gateway.*` (whoami) calls none and is open to any token. */
const awsProcedures = procedures.filter((p) => !p.path.startsWith('gateway.'));
const mutations = procedures.filter((p) => p.type === 'mutation');
const reads = procedures.filter((p) => p.type !== 'mutation');

/** Runs every call with bounded concurrency and collects the answers by path. */
async function codes(list: typeof procedures, token: string | undefined, region?: string) {
  const client = h.client(token, region ? { region } : {});
  const out = new Map<string, string>();
  for (let i = 0; i < list.length; i += 40) {
    const chunk = list.slice(i, i + 40);
    const answers = await Promise.all(chunk.map((p) => callCode(client, p)));
    for (const [j, p] of chunk.entries()) out.set(p.path, answers[j]!);
  }
  return out;
}

const unexpected = (answers: Map<string, string>, want: (code: string) => boolean) =>
  [...answers].filter(([, code]) => !want(code));

describe('authorization over every procedure', () => {
  it('walks every catalog operation, plus the streams and waiters the router has', () => {
    const operations = catalog.ec2.operations.length + catalog.elb.operations.length;
    expect(awsProcedures.filter((p) => p.type !== 'subscription')).toHaveLength(operations);
    expect(operations).toBeGreaterThan(800);
    for (const p of awsProcedures) expect(p.meta?.operation, p.path).toBeTruthy();
    expect(procedures.map((p) => p.path)).toContain('gateway.whoami');
  });

  it('answers UNAUTHORIZED without a token, and with an unknown token, and AWS receives nothing', async () => {
    const none = await codes(procedures, undefined);
    expect(unexpected(none, (c) => c === 'UNAUTHORIZED')).toEqual([]);
    const unknown = await codes(procedures, 'atrpc_not-a-real-token');
    expect(unexpected(unknown, (c) => c === 'UNAUTHORIZED')).toEqual([]);
    expect(h.emulator.control.requests.count()).toBe(0);
  });

  it('gives a read-only token FORBIDDEN on every mutation, naming it, and AWS receives nothing', async () => {
    const answers = await codes(mutations, tokens.reader);
    expect(unexpected(answers, (c) => c === 'FORBIDDEN')).toEqual([]);
    expect(h.emulator.control.requests.count()).toBe(0);
    const c = h.client(tokens.reader);
    await expect(c.ec2.terminateInstances.mutate({ InstanceIds: ['i-0123456789abcdef0'] })).rejects.toThrow(
      "token 'reader' is not allowed to call ec2:TerminateInstances (allowed: ec2:read, elb:read)",
    );
  });

  it('lets a read-only token through authorization on every query (and subscription)', async () => {
    const answers = await codes(reads, tokens.reader);
    // Empty inputs: the answer may be BAD_REQUEST, NOT_FOUND, an AWS error... but never an auth refusal.
    expect(unexpected(answers, (c) => c !== 'UNAUTHORIZED' && c !== 'FORBIDDEN')).toEqual([]);
    const ok = await h.client(tokens.reader).ec2.describeInstances.query({});
    expect(ok.Reservations).toEqual([]);
  });

  it('holds region restrictions before any AWS call', async () => {
    const eu = h.client(tokens.euOnly, { region: 'eu-west-1' });
    const us = h.client(tokens.euOnly, { region: 'us-east-1' });
    await expect(eu.ec2.describeRegions.query({})).resolves.toHaveProperty('Regions');
    const before = h.emulator.control.requests.count();
    await expect(us.ec2.describeRegions.query({})).rejects.toThrow(
      "token 'eu-only' is not allowed to use region us-east-1 (allowed: eu-west-1)",
    );
    // Allowed region, operation outside `ec2:Describe*`:
    await expect(eu.ec2.getConsoleOutput.query({ InstanceId: 'i-0123456789abcdef0' })).rejects.toThrow(
      'is not allowed to call ec2:GetConsoleOutput (allowed: ec2:Describe*)',
    );
    expect(h.emulator.control.requests.count()).toBe(before);
  });
});
