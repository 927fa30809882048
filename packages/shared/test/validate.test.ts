import { describe, expect, it } from 'vitest';
import { catalog, InputValidationError, inputValidator, type ValidationIssue } from '../src/index';
import { validatorForSchema } from '../src/validate';

function issues(service: 'ec2' | 'elb', operation: string, input: unknown): readonly ValidationIssue[] {
  const result = inputValidator(service, operation).validate(input);
  if (result.ok) throw new Error(`${operation}: expected invalid input`);
  return result.issues;
}

function valid(service: 'ec2' | 'elb', operation: string, input: unknown): unknown {
  const result = inputValidator(service, operation).validate(input);
  if (!result.ok) throw new Error(`${operation}: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.value;
}

describe('inputValidator', () => {
  it('accepts realistic inputs and returns a clean copy', () => {
    const input = {
      ImageId: 'ami-0abcdef1234567890',
      InstanceType: 't3.micro',
      MinCount: 2,
      MaxCount: 2,
      UserData: 'IyEvYmluL2Jhc2g=',
      Placement: { AvailabilityZone: 'us-east-1a' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, DeleteOnTermination: true } }],
      DryRun: false,
      ClientToken: undefined,
    };
    const value = valid('ec2', 'RunInstances', input);
    expect(value).toEqual({ ...input, ClientToken: undefined });
    expect(value).not.toHaveProperty('ClientToken');
    expect(value).not.toBe(input);
    expect((value as typeof input).Placement).not.toBe(input.Placement);

    valid('ec2', 'describeInstances', { Filters: [{ Name: 'tag:Name', Values: ['web'] }], MaxResults: 5 });
    valid('ec2', 'describeInstances', undefined);
    valid('elb', 'createLoadBalancer', {
      LoadBalancerName: 'web',
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 }],
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
    valid('elb', 'ConfigureHealthCheck', {
      LoadBalancerName: 'web',
      HealthCheck: {
        Target: 'HTTP:80/',
        Interval: 30,
        Timeout: 5,
        UnhealthyThreshold: 2,
        HealthyThreshold: 2,
      },
    });
  });

  it('names a misspelled key and suggests the member', () => {
    expect(issues('ec2', 'describeInstances', { instanceIds: ['i-1'] })).toEqual([
      {
        path: ['instanceIds'],
        expected: 'InstanceIds',
        message: 'Unknown member instanceIds of DescribeInstancesRequest; did you mean InstanceIds?',
      },
    ]);
    expect(issues('elb', 'describeLoadBalancers', { LoadBalancerName: ['a'] })[0]).toMatchObject({
      path: ['LoadBalancerName'],
      expected: 'LoadBalancerNames',
    });
    const [nested] = issues('ec2', 'runInstances', { MinCount: 1, MaxCount: 1, Placement: { Zone: 'x' } });
    expect(nested).toMatchObject({ path: ['Placement', 'Zone'] });
    expect(nested!.message).toContain('Placement.Zone');
  });

  it('reports wrong types at nested paths', () => {
    expect(issues('ec2', 'describeInstances', { Filters: [{ Name: 'x', Values: 'y' }] })).toEqual([
      {
        path: ['Filters', 0, 'Values'],
        expected: 'list<string>',
        message: 'Expected list<string> at Filters[0].Values, got string',
      },
    ]);
    const cases: [string, unknown, (string | number)[], string][] = [
      ['MaxResults', '5', ['MaxResults'], 'number'],
      ['DryRun', 'true', ['DryRun'], 'boolean'],
      ['InstanceIds', [1], ['InstanceIds', 0], 'string'],
      ['Filters', { Name: 'x' }, ['Filters'], 'list<structure Filter>'],
      ['Filters', [['x']], ['Filters', 0], 'structure Filter'],
    ];
    for (const [key, value, path, expected] of cases) {
      expect(issues('ec2', 'DescribeInstances', { [key]: value })).toMatchObject([{ path, expected }]);
    }
    expect(
      issues('ec2', 'runInstances', {
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ Tags: [{ Key: 'a', Value: 'b' }, { Key: 7 }] }],
      }),
    ).toMatchObject([{ path: ['TagSpecifications', 0, 'Tags', 1, 'Key'], expected: 'string' }]);
    expect(
      issues('elb', 'configureHealthCheck', { LoadBalancerName: 'a', HealthCheck: { Target: 'x' } }),
    ).toEqual(
      ['Interval', 'Timeout', 'UnhealthyThreshold', 'HealthyThreshold'].map((member) => ({
        path: ['HealthCheck', member],
        expected: 'number',
        message: `Missing required member HealthCheck.${member}`,
      })),
    );
  });

  it('reports missing required members, but never a missing idempotency token', () => {
    expect(issues('ec2', 'runInstances', { ImageId: 'ami-1' }).map((i) => i.path)).toEqual([
      ['MaxCount'],
      ['MinCount'],
    ]);
    expect(issues('ec2', 'terminateInstances', {})).toMatchObject([
      { path: ['InstanceIds'], expected: 'list<string>', message: 'Missing required member InstanceIds' },
    ]);
    expect(issues('elb', 'createLoadBalancer', { LoadBalancerName: 'a' })).toMatchObject([
      { path: ['Listeners'] },
    ]);
    // CreateFleet requires ClientToken? No: the token is filled by the SDK, so only real members are required.
    const fleet = issues('ec2', 'createFleet', {}).map((i) => i.path[0]);
    expect(fleet).not.toContain('ClientToken');
    expect(fleet).toContain('TargetCapacitySpecification');
  });

  it('checks timestamps, blobs and maps', () => {
    const history = valid('ec2', 'describeSpotPriceHistory', { StartTime: '2024-01-01T00:00:00Z' }) as {
      StartTime: Date;
    };
    expect(history.StartTime).toBeInstanceOf(Date);
    expect(history.StartTime.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    valid('ec2', 'describeSpotPriceHistory', { StartTime: new Date(0) });
    for (const bad of [1704067200, 'yesterday', new Date(Number.NaN)]) {
      expect(issues('ec2', 'describeSpotPriceHistory', { StartTime: bad })).toMatchObject([
        { path: ['StartTime'], expected: 'timestamp (Date or ISO 8601 string)' },
      ]);
    }
    const key = new Uint8Array([115, 115, 104]);
    const imported = valid('ec2', 'importKeyPair', { KeyName: 'k', PublicKeyMaterial: key }) as {
      PublicKeyMaterial: Uint8Array;
    };
    expect(imported.PublicKeyMaterial).toBe(key);
    valid('ec2', 'importKeyPair', { KeyName: 'k', PublicKeyMaterial: 'ssh-ed25519 AAAA' });
    expect(issues('ec2', 'importKeyPair', { KeyName: 'k', PublicKeyMaterial: [1, 2] })).toMatchObject([
      { path: ['PublicKeyMaterial'], expected: 'blob (Uint8Array or string)' },
    ]);
  });

  it('validates maps and unions (no EC2 or ELB input has one, so on schemas in the SDK tuple format)', () => {
    const Tags = [2, 'test', 'TagMap', 0, 0, 0];
    const Choice = [4, 'test', 'Choice', 0, ['A', 'B'], [0, 1]];
    const Input = [
      3,
      'test',
      'Input',
      0,
      ['Tags', 'Counts', 'Choice'],
      [Tags, [2, 'test', 'Counts', 0, 0, 1], Choice],
    ];
    const validator = validatorForSchema('Test', () => Input);
    const value = validator.validate({
      Tags: { env: 'dev', team: 'core' },
      Counts: { a: 1 },
      Choice: { A: 'x' },
    });
    expect(value).toEqual({
      ok: true,
      value: { Tags: { env: 'dev', team: 'core' }, Counts: { a: 1 }, Choice: { A: 'x' } },
    });
    expect(validator.validate({ Tags: { env: 1 } })).toMatchObject({
      ok: false,
      issues: [
        { path: ['Tags', 'env'], expected: 'string', message: 'Expected string at Tags.env, got number' },
      ],
    });
    expect(validator.validate({ Tags: ['env'] })).toMatchObject({
      issues: [{ path: ['Tags'], expected: 'map<string, string>' }],
    });
    const hostile = JSON.parse('{"Tags":{"__proto__":"x","ok":"y"}}');
    expect(validator.validate(hostile)).toMatchObject({ issues: [{ path: ['Tags', '__proto__'] }] });
    expect(validator.validate({ Choice: { A: 'x', B: 1 } })).toMatchObject({
      issues: [{ path: ['Choice'], expected: 'one member of Choice' }],
    });
  });

  it('rejects prototype keys and non-plain objects without polluting anything', () => {
    const hostile = JSON.parse(
      '{"MaxCount":1,"MinCount":1,"__proto__":{"polluted":true},"Placement":{"constructor":{}}}',
    );
    const found = issues('ec2', 'runInstances', hostile);
    expect(found.map((i) => i.path)).toEqual([['__proto__'], ['Placement', 'constructor']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(issues('ec2', 'runInstances', { MaxCount: 1, MinCount: 1, prototype: 1 })[0]!.path).toEqual([
      'prototype',
    ]);

    class Sneaky {
      InstanceIds = ['i-1'];
    }
    expect(issues('ec2', 'describeInstances', new Sneaky())).toMatchObject([
      {
        path: [],
        expected: 'structure DescribeInstancesRequest',
        message: expect.stringContaining('got Sneaky'),
      },
    ]);
    expect(issues('ec2', 'describeInstances', null)[0]!.message).toContain('got null');
    expect(issues('ec2', 'describeInstances', { InstanceIds: null })[0]!.path).toEqual(['InstanceIds']);
    expect(issues('ec2', 'describeInstances', { Filters: [new Map([['Name', 'x']])] })[0]).toMatchObject({
      path: ['Filters', 0],
      message: expect.stringContaining('got Map'),
    });
    // sparse arrays: a hole is not a string
    const sparse: string[] = [];
    sparse[0] = 'i-1';
    sparse[2] = 'i-2';
    expect(issues('ec2', 'describeInstances', { InstanceIds: sparse })[0]!.path).toEqual(['InstanceIds', 1]);
  });

  it('limits depth and the number of issues', () => {
    const Node: unknown[] = [3, 'test', 'Node', 0, ['Child', 'Name'], [() => Node, 0]];
    const validator = validatorForSchema('Recursive', () => Node);
    let deep: Record<string, unknown> = { Name: 'leaf' };
    for (let i = 0; i < 31; i++) deep = { Child: deep };
    expect(validator.validate(deep).ok).toBe(true);
    deep = { Child: deep };
    expect(validator.validate(deep)).toMatchObject({
      ok: false,
      issues: [{ path: Array(32).fill('Child'), message: expect.stringContaining('deeper than 32 levels') }],
    });
    const many = issues('ec2', 'describeInstances', {
      InstanceIds: Array.from({ length: 1000 }, (_, i) => i),
    });
    expect(many.length).toBeLessThanOrEqual(20);
    expect(many[0]!.path).toEqual(['InstanceIds', 0]);
  });

  it('validates 10,000 filter values quickly (under a raised list limit)', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
    const validator = inputValidator('ec2', 'describeInstances');
    const input = { Filters: [{ Name: 'instance-id', Values: ids }] };
    validator.validate(input, { maxListLength: 10_000 });
    const started = performance.now();
    const result = validator.validate(input, { maxListLength: 10_000 });
    const elapsed = performance.now() - started;
    expect(result.ok && (result.value as typeof input).Filters[0]?.Values).toEqual(ids);
    expect(elapsed).toBeLessThan(100);
  });

  it('builds lazily, caches, and accepts operation or procedure names', () => {
    expect(inputValidator('ec2', 'RunInstances')).toBe(inputValidator('ec2', 'runInstances'));
    expect(inputValidator('ec2', 'RunInstances').operation).toBe('RunInstances');
    expect(() => inputValidator('ec2', 'describeLoadBalancers')).toThrow(/Unknown ec2 operation/);
  });

  it('throws InputValidationError from parse and speaks Standard Schema', () => {
    const validator = inputValidator('ec2', 'describeInstances');
    expect(() => validator.parse({ instanceIds: [] })).toThrow(InputValidationError);
    try {
      validator.parse({ instanceIds: [] });
    } catch (error) {
      expect((error as InputValidationError).issues[0]!.path).toEqual(['instanceIds']);
    }
    expect(validator['~standard'].validate({ InstanceIds: ['i-1'] })).toEqual({
      value: { InstanceIds: ['i-1'] },
    });
    expect(validator['~standard'].validate({ InstanceIds: 'i-1' })).toMatchObject({
      issues: [{ path: ['InstanceIds'] }],
    });
  });

  it('compiles for every operation of both services and rejects a misspelled member on each', () => {
    let checked = 0;
    for (const service of ['ec2', 'elb'] as const) {
      for (const entry of catalog[service].operations) {
        const validator = inputValidator(service, entry.operation);
        const bogus = validator.validate({ NotAMemberOfAnyShape: 1 });
        expect(bogus.ok, entry.operation).toBe(false);
        if (!bogus.ok) expect(bogus.issues[0]!.path).toEqual(['NotAMemberOfAnyShape']);
        checked++;
      }
    }
    expect(checked).toBe(852);
  });

  it('never throws or pollutes on arbitrary input (seeded fuzz over 2,000 values)', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = [
      'InstanceIds',
      'Filters',
      'Name',
      'Values',
      'MaxResults',
      '__proto__',
      'constructor',
      'x',
      'DryRun',
    ];
    const arbitrary = (depth: number): unknown => {
      const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
      switch (pick) {
        case 0:
          return 'i-1';
        case 1:
          return random() * 100;
        case 2:
          return random() < 0.5;
        case 3:
          return null;
        case 4:
          return undefined;
        case 5:
          return new Date(0);
        case 6:
          return Array.from({ length: Math.floor(random() * 3) }, () => arbitrary(depth + 1));
        default: {
          const pairs = Array.from({ length: Math.floor(random() * 4) }, () => [
            keys[Math.floor(random() * keys.length)]!,
            arbitrary(depth + 1),
          ]);
          return JSON.parse(JSON.stringify(Object.fromEntries(pairs)));
        }
      }
    };
    const validator = inputValidator('ec2', 'describeInstances');
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const result = validator.validate(arbitrary(0));
      if (result.ok) {
        accepted++;
        for (const key of Object.keys(result.value as object)) {
          expect(['InstanceIds', 'Filters', 'MaxResults', 'DryRun']).toContain(key);
        }
      } else {
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('ill-formed Unicode (lone UTF-16 surrogates)', () => {
  it('refuses a lone surrogate in any string member, blob string or map key, naming the path', () => {
    for (const bad of ['\ud800', 'ok\udfff', '\udc00\ud800', 'a\ud83d']) {
      const [issue] = issues('ec2', 'DescribeInstances', {
        Filters: [{ Name: 'tag:x', Values: ['a', bad] }],
      });
      expect(issue?.path).toEqual(['Filters', 0, 'Values', 1]);
      expect(issue?.message).toMatch(
        /^Expected well-formed Unicode string at Filters\[0\]\.Values\[1\], got a string with a lone UTF-16 surrogate at index \d+/,
      );
    }
    expect(
      issues('elb', 'CreateLoadBalancer', { LoadBalancerName: '\ud800', Listeners: [] })[0]?.path,
    ).toEqual(['LoadBalancerName']);
    expect(issues('ec2', 'RunInstances', { MinCount: 1, MaxCount: 1, UserData: 'x\ud800' })[0]?.path).toEqual(
      ['UserData'],
    );
    // A well-formed pair (an emoji) is fine.
    valid('ec2', 'DescribeInstances', { Filters: [{ Name: 'tag:x', Values: ['\ud83d\ude00'] }] });
  });

  it('refuses a lone surrogate in a map key', () => {
    const Input = [3, 'test', 'Input', 0, ['Labels'], [[2, 'test', 'Labels', 0, 0, 0]]];
    const result = validatorForSchema('Test', () => Input).validate({ Labels: { 'k\ud800': 'v' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain('lone UTF-16 surrogate');
  });
});

describe('list lengths', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);

  it('caps a member at the limit AWS documents, naming the path and the limit', () => {
    valid('ec2', 'DescribeInstances', { InstanceIds: ids(1_000) });
    const [issue] = issues('ec2', 'DescribeInstances', { InstanceIds: ids(1_001) });
    expect(issue).toEqual({
      path: ['InstanceIds'],
      expected: 'list of at most 1000 items',
      message: 'Too many items at InstanceIds: 1001, AWS accepts at most 1000',
    });
    // DescribeInstanceStatus documents 100, lower than the default.
    expect(issues('ec2', 'DescribeInstanceStatus', { InstanceIds: ids(101) })[0]?.expected).toBe(
      'list of at most 100 items',
    );
    expect(issues('elb', 'DescribeTags', { LoadBalancerNames: Array(21).fill('lb') })[0]?.path).toEqual([
      'LoadBalancerNames',
    ]);
  });

  it('caps every other list at the default, or at the caller-given maxListLength; documented limits stay', () => {
    const many = { Filters: [{ Name: 'tag:x', Values: Array(1_001).fill('v') }] };
    expect(issues('ec2', 'DescribeVpcs', many)[0]?.path).toEqual(['Filters', 0, 'Values']);
    const v = inputValidator('ec2', 'DescribeVpcs');
    expect(v.validate(many, { maxListLength: 2_000 }).ok).toBe(true);
    expect(v.validate({ Filters: [{ Name: 'a', Values: ['1', '2', '3'] }] }, { maxListLength: 2 }).ok).toBe(
      false,
    );
    expect(
      inputValidator('ec2', 'DescribeInstances').validate(
        { InstanceIds: ids(1_001) },
        { maxListLength: 5_000 },
      ).ok,
    ).toBe(false);
  });

  it('refuses 200,000 ids without walking them', () => {
    const huge = ids(200_000);
    const started = performance.now();
    for (let i = 0; i < 50; i++) issues('ec2', 'DescribeInstances', { InstanceIds: huge });
    // 50 refusals of 200,000 items: far below the cost of walking them even once each.
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('parse passes a clean copy through: validation options given once hold', () => {
    const v = inputValidator('ec2', 'DescribeVpcs');
    const many = { Filters: [{ Name: 'tag:x', Values: Array(1_500).fill('v') }] };
    const result = v.validate(many, { maxListLength: 2_000 });
    expect(result.ok).toBe(true);
    if (result.ok) expect(v.parse(result.value)).toBe(result.value);
    expect(() => v.parse(many)).toThrow(InputValidationError);
  });
});
