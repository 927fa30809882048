import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  type Filter,
  type Instance,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../src/core/aws-clients';
import { compileInstanceFilters, supportedFilterNames } from '../src/source/instance-filter';

/**
 * The streams evaluate DescribeInstances filters on the gateway, over the SDK's Instance; the emulator
 * evaluates them over its own records. Both tables name the same AWS semantics, so they must agree:
 * for every filter the streams support, the instances the emulator answers with that filter are the
 * ones the gateway's predicate keeps of the unfiltered answer.
 */
let emu: Emulator;
let aws: AwsClients;
let all: Instance[];

beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  aws = createAwsClients({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: emulatorCredentials,
    maxAttempts: 1,
    connectionTimeoutMs: 1_000,
    requestTimeoutMs: 5_000,
  });
  const ec2 = aws.ec2('us-east-1');
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }));
  const launch = (input: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]>) =>
    ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-0453ec754f44f9a4a', MinCount: 1, MaxCount: 1, ...input }),
    );
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy' }));
  const a = await launch({ InstanceType: 't3.micro', SecurityGroupIds: [group.GroupId!], KeyName: 'deploy' });
  const b = await launch({ InstanceType: 't3.small', Placement: { AvailabilityZone: 'us-east-1b' } });
  const c = await launch({ InstanceType: 'm5.large', MinCount: 2, MaxCount: 2 });
  await launch({ InstanceType: 't3.micro', InstanceMarketOptions: { MarketType: 'spot' } });
  await emu.control.clock.advance(60_000);
  const ids = (r: typeof a) => (r.Instances ?? []).map((i) => i.InstanceId!);
  await ec2.send(new StopInstancesCommand({ InstanceIds: ids(b) }));
  await ec2.send(
    new CreateTagsCommand({
      Resources: [...ids(a), ...ids(c)],
      Tags: [
        { Key: 'team', Value: 'blue' },
        { Key: 'env', Value: 'prod' },
      ],
    }),
  );
  await ec2.send(new CreateTagsCommand({ Resources: ids(b), Tags: [{ Key: 'team', Value: 'red' }] }));
  const out = await ec2.send(new DescribeInstancesCommand({}));
  all = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
});

afterAll(async () => {
  aws?.destroy();
  await emu?.close();
});

/** Every scalar the instances show (ids, states, codes, names, addresses, tags…): the candidate values. */
function leaves(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' || typeof value === 'number') out.add(String(value));
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value && typeof value === 'object' && !(value instanceof Date))
    for (const v of Object.values(value)) leaves(v, out);
  return out;
}

describe('DescribeInstances filters: the gateway streams and the emulator agree', () => {
  const names = supportedFilterNames().map((n) => (n === 'tag:<key>' ? 'tag:team' : n));
  let candidates: string[] = [];
  beforeAll(() => {
    candidates = [...leaves(all)].filter((v) => v.length < 80);
  });

  it.each(names)('%s', async (name) => {
    const filters: Filter[][] = [
      ...candidates.map((value) => [{ Name: name, Values: [value] }]),
      // Wildcards: a prefix of each kind of id, and a value nothing has.
      ...['i-*', 'sg-*', 'ip-*', 'us-east-1?', 't3.*'].map((value) => [{ Name: name, Values: [value] }]),
    ];
    const ec2 = aws.ec2('us-east-1');
    const results = await Promise.all(
      filters.map(async (f) => {
        const emulated = await ec2.send(new DescribeInstancesCommand({ Filters: f }));
        const byEmulator = (emulated.Reservations ?? [])
          .flatMap((r) => r.Instances ?? [])
          .map((i) => i.InstanceId);
        const byGateway = all.filter(compileInstanceFilters(f)).map((i) => i.InstanceId);
        return { f, byEmulator: byEmulator.sort(), byGateway: byGateway.sort() };
      }),
    );
    for (const { f, byEmulator, byGateway } of results)
      expect(byGateway, JSON.stringify(f)).toEqual(byEmulator);
    const matched = results.filter((r) => r.byGateway.length > 0).length;
    // Each filter selected something with some value, so the comparison is not only of empty sets.
    expect(matched).toBeGreaterThan(0);
  });
});
