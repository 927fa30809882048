import { describe, expect, it } from 'vitest';
import { follows, supersedes } from '../src/source/lifecycle';
import { decodeCall, encodeCall } from '../src/source/redis-log';
import { writesThrough, writtenThrough } from '../src/source/write-through';

describe('the instance lifecycle', () => {
  it('knows what can follow what', () => {
    expect(follows('pending', 'running', 1)).toBe(true);
    expect(follows('running', 'stopped', 1)).toBe(false);
    expect(follows('running', 'stopped', 2)).toBe(true);
    expect(follows('running', 'pending', 2)).toBe(false);
    expect(follows('running', 'pending', 3)).toBe(true);
    expect(follows('stopped', 'terminated', 2)).toBe(true);
    expect(follows('shutting-down', 'running', 4)).toBe(false);
    expect(follows('terminated', 'pending', 4)).toBe(false);
  });

  it.each([
    // [current, at, incoming, at, supersedes]
    ['running', 10_000, 'running', 20_000, false], // the same state again: no duplicate
    ['running', 10_000, 'stopping', 12_000, true], // clearly later
    ['stopping', 12_000, 'running', 10_000, false], // clearly older: a late delivery
    ['stopping', 12_000, 'running', 11_500, false], // same moment: running cannot follow stopping soon
    ['running', 10_000, 'stopped', 10_400, true], // same moment: stopped may follow running (a short stop)
    ['pending', 10_000, 'running', 10_000, true], // event times are whole seconds
    ['running', 10_000, 'pending', 10_000, false], // the pending of the same second came first
    ['terminated', 10_000, 'running', 99_000, false], // nothing comes back from terminated
    ['shutting-down', 10_000, 'stopped', 99_000, false], // nor from shutting-down
    ['shutting-down', 10_000, 'terminated', 10_500, true],
  ] as const)('%s@%i then %s@%i supersedes: %s', (cs, ca, is, ia, expected) => {
    expect(supersedes({ state: cs, at: ca }, { state: is, at: ia })).toBe(expected);
  });
});

describe('write-through', () => {
  it('reads the states out of the state-changing answers', () => {
    expect(
      [
        'RunInstances',
        'StartInstances',
        'StopInstances',
        'TerminateInstances',
        'CreateTags',
        'DeleteTags',
      ].every(writesThrough),
    ).toBe(true);
    expect(writesThrough('RebootInstances')).toBe(false);
    expect(writesThrough('DescribeInstances')).toBe(false);

    const stop = writtenThrough(
      'StopInstances',
      { InstanceIds: ['i-1', 'i-2'] },
      {
        StoppingInstances: [
          {
            InstanceId: 'i-1',
            CurrentState: { Name: 'stopping', Code: 64 },
            PreviousState: { Name: 'running', Code: 16 },
          },
          {
            InstanceId: 'i-2',
            CurrentState: { Name: 'stopped', Code: 80 },
            PreviousState: { Name: 'stopped', Code: 80 },
          },
        ],
      },
      5,
    );
    expect(stop.observations).toEqual([
      { instanceId: 'i-1', state: 'stopping', at: 5 },
      { instanceId: 'i-2', state: 'stopped', at: 5 },
    ]);

    const run = writtenThrough(
      'RunInstances',
      {},
      {
        ReservationId: 'r-1',
        OwnerId: '123456789012',
        Instances: [
          {
            InstanceId: 'i-3',
            State: { Name: 'pending', Code: 0 },
            InstanceType: 't3.micro',
            Placement: { AvailabilityZone: 'us-east-1a' },
            Tags: [{ Key: 'Name', Value: 'web' }],
          },
        ],
      },
      7,
    );
    expect(run.observations).toHaveLength(1);
    expect(run.observations[0]).toMatchObject({ instanceId: 'i-3', state: 'pending', at: 7 });
    expect(run.observations[0]?.instance?.record).toEqual({
      instanceId: 'i-3',
      state: 'pending',
      instanceType: 't3.micro',
      availabilityZone: 'us-east-1a',
      tags: { Name: 'web' },
    });
    expect(run.observations[0]?.instance?.reservation).toEqual({
      ReservationId: 'r-1',
      OwnerId: '123456789012',
    });
  });

  it('turns tag calls on instances into tag changes, as EC2 applies them', () => {
    const tags = [
      { Key: 'team', Value: 'blue' },
      { Key: 'env', Value: 'dev' },
    ];
    const created = writtenThrough(
      'CreateTags',
      {
        Resources: ['i-1', 'vol-1'],
        Tags: [
          { Key: 'team', Value: 'red' },
          { Key: 'role', Value: 'web' },
        ],
      },
      {},
      1,
    );
    expect(created.retags.map((r) => r.instanceId)).toEqual(['i-1']);
    expect(created.retags[0]?.change(tags)).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'red' },
      { Key: 'role', Value: 'web' },
    ]);
    const deleted = writtenThrough(
      'DeleteTags',
      { Resources: ['i-1'], Tags: [{ Key: 'team', Value: 'green' }, { Key: 'env' }] },
      {},
      1,
    );
    // A value that does not match keeps the tag; a key alone removes it whatever its value.
    expect(deleted.retags[0]?.change(tags)).toEqual([{ Key: 'team', Value: 'blue' }]);
    const all = writtenThrough('DeleteTags', { Resources: ['i-1'] }, {}, 1);
    expect(all.retags[0]?.change(tags)).toEqual([]);
  });

  it("sends another replica only what it reads: no input beyond the tag calls' ids and tags", () => {
    const run = {
      operation: 'RunInstances',
      input: { ImageId: 'ami-1', UserData: btoa('DB_PASSWORD=hunter2'), MinCount: 1, MaxCount: 1 },
      output: {
        ReservationId: 'r-1',
        Instances: [{ InstanceId: 'i-3', State: { Name: 'pending', Code: 0 } }],
      },
      at: 7,
    } as const;
    const encoded = encodeCall(run);
    expect(encoded.join(' ')).not.toContain('UserData');
    expect(encoded.join(' ')).not.toContain(run.input.UserData);
    const decoded = decodeCall(encoded)!;
    expect(decoded.at).toBe(7);
    expect(writtenThrough(decoded.operation, decoded.input, decoded.output, 7).observations).toEqual(
      writtenThrough(run.operation, run.input, run.output, 7).observations,
    );

    const stop = {
      operation: 'StopInstances',
      input: { InstanceIds: ['i-1'], Force: true },
      output: { StoppingInstances: [{ InstanceId: 'i-1', CurrentState: { Name: 'stopping', Code: 64 } }] },
      at: 1,
    };
    expect(decodeCall(encodeCall(stop))).toEqual({
      operation: 'StopInstances',
      input: {},
      output: stop.output,
      at: 1,
    });

    const tag = {
      operation: 'CreateTags',
      input: { Resources: ['i-1'], Tags: [{ Key: 'team', Value: 'red' }], DryRun: false },
      output: {},
      at: 2,
    };
    expect(decodeCall(encodeCall(tag))).toEqual({
      operation: 'CreateTags',
      input: { Resources: ['i-1'], Tags: [{ Key: 'team', Value: 'red' }] },
      output: {},
      at: 2,
    });
  });
});
