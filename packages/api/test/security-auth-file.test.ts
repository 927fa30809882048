import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTokenCommand } from '../src/cli/token';
import { createAwsClients } from '../src/core/aws-clients';
import { ConfigError } from '../src/core/config';
import { AuthFileError, loadAuthFile, parseAuthFile } from '../src/security/auth-file';
import { describeAuthFile } from '../src/security/auth-file-report';
import { bearerToken, createAuthenticator } from '../src/security/authenticator';
import { compilePattern } from '../src/security/operation-pattern';
import { hashToken } from '../src/security/token-hash';

const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-auth-'));

function mint(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runTokenCommand(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

describe('token create → auth file → authenticate', () => {
  it('prints a token once and a YAML entry that, added to the file, authenticates that token', () => {
    const r = mint([
      'create',
      '--name',
      'ci',
      '--allow',
      'ec2:read',
      '--region',
      'us-east-1',
      '--burst',
      '5',
    ]);
    expect(r.code).toBe(0);
    const token = /\n {2}(atrpc_[\w-]{43})\n/.exec(r.out)?.[1];
    expect(token).toBeDefined();
    // The entry stores the hash, never the token.
    expect(r.out.split(token!).length).toBe(2);
    const entry = r.out.slice(r.out.indexOf('- name:'));
    const path = join(dir, 'auth.yaml');
    writeFileSync(path, `tokens:\n${entry.replace(/^/gm, '  ')}`);
    const auth = createAuthenticator(loadAuthFile(path));
    const p = auth.authenticate(token);
    expect(p?.name).toBe('ci');
    expect([...(p?.regions ?? [])]).toEqual(['us-east-1']);
    expect(p?.limits).toEqual({ burst: 5 });
    expect(auth.authenticate(`${token}x`)).toBeUndefined();
    expect(auth.authenticate(undefined)).toBeUndefined();
    expect(auth.authenticate('')).toBeUndefined();
  });

  it('--json prints a JSON entry that loads from a .json file', () => {
    const r = mint(['create', '--name', 'ops', '--allow', 'elb:*', '--allow', 'ec2:Describe*', '--json']);
    expect(r.code).toBe(0);
    const entry = JSON.parse(r.out.trim().split('\n').at(-1)!);
    expect(entry).toMatchObject({ name: 'ops', allow: ['elb:*', 'ec2:Describe*'] });
    const path = join(dir, 'auth.json');
    writeFileSync(path, JSON.stringify({ tokens: [entry] }));
    expect(loadAuthFile(path).tokens[0]?.sha256).toBe(entry.sha256);
  });

  it('rejects bad command lines with exit code 2 and the reason', () => {
    expect(mint(['create', '--allow', 'ec2:read']).err).toContain('--name is required');
    expect(mint(['create', '--name', 'x']).code).toBe(2);
    const bad = mint(['create', '--name', 'x', '--allow', 's3:read']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown service 's3'");
    expect(mint(['delete']).code).toBe(2);
    expect(mint(['--help']).out).toContain('Usage: aws-trpc token create');
  });
});

describe('auth file validation', () => {
  const sha = hashToken('t');
  it.each([
    [{ tokens: [{ name: 'a', sha256: 'nothex', allow: ['ec2:read'] }] }, 'tokens.0.sha256'],
    [{ tokens: [{ name: 'a', sha256: sha, allow: [] }] }, 'tokens.0.allow'],
    [{ tokens: [{ name: 'a', sha256: sha, allow: ['ec2:read'], token: 'plain' }] }, 'token'],
    [{ tokens: [{ name: 'a', sha256: sha, allow: ['ec2:Describe?'] }] }, "'*'"],
    [
      {
        tokens: [
          { name: 'a', sha256: sha, allow: ['*'] },
          { name: 'a', sha256: hashToken('u'), allow: ['*'] },
        ],
      },
      "duplicate name 'a'",
    ],
    [{ tokens: [{ name: 'a', sha256: sha, allow: ['*'], limits: { burst: -1 } }] }, 'tokens.0.limits.burst'],
    // Regions the SDK's partition data does not list, or not in AWS's lower-case spelling.
    [
      { tokens: [{ name: 'a', sha256: sha, allow: ['*'], regions: ['us-east-1', 'US-EAST-1'] }] },
      "tokens.0 ('a'): region 'US-EAST-1' is not an AWS region known to the installed AWS SDK (did you mean 'us-east-1'? region names are lower case)",
    ],
    [
      { tokens: [{ name: 'a', sha256: sha, allow: ['*'], regions: ['zz-fake-1'] }] },
      "region 'zz-fake-1' is not an AWS region known to the installed AWS SDK",
    ],
    // Patterns that parse but grant nothing: a typo would fail closed, silently.
    [
      { tokens: [{ name: 'a', sha256: sha, allow: ['ec2:read', 'ec2:DescribeInstance'] }] },
      "tokens.0 ('a'): pattern 'ec2:DescribeInstance' matches no operation",
    ],
    [
      { tokens: [{ name: 'a', sha256: sha, allow: ['elb:RunInstances'] }] },
      "pattern 'elb:RunInstances' matches no operation",
    ],
  ])('refuses %j naming %s', (data, naming) => {
    expect(() => parseAuthFile(data)).toThrowError(AuthFileError);
    expect(() => parseAuthFile(data)).toThrowError(naming);
  });

  it('accepts every shorthand, wildcard and known region', () => {
    const file = {
      tokens: [
        {
          name: 'a',
          sha256: sha,
          allow: ['ec2:read', 'elb:write', 'ec2:Describe*', 'elb:*', '*', 'ec2:TerminateInstances'],
          regions: ['eu-west-1', 'ap-southeast-2'],
        },
      ],
    };
    expect(parseAuthFile(file).tokens[0]?.name).toBe('a');
  });

  it('describes what each token may do, for check-auth-file', () => {
    const text = describeAuthFile(
      {
        tokens: [
          {
            name: 'ci',
            sha256: sha,
            allow: ['ec2:TerminateInstances', 'ec2:read'],
            regions: ['us-east-1'],
            limits: { burst: 5 },
          },
          { name: 'ops', sha256: hashToken('u'), allow: ['*'] },
        ],
      },
      'auth.yaml',
    );
    expect(text).toContain('auth.yaml: 2 tokens, valid');
    expect(text).toContain('\nci\n  regions: us-east-1\n  limits: burst 5;');
    expect(text).toContain('  allow ec2:TerminateInstances: 1 procedure: ec2.terminateInstances\n');
    expect(text).toMatch(/ {2}allow ec2:read: \d+ procedures: ec2\.\w+, .*, … and \d+ more\n/);
    expect(text).toMatch(
      /\nops\n {2}regions: every region\n {2}limits: the gateway's defaults\n {2}allow \*: (\d+) procedures/,
    );
    const all = /may call (\d+) of (\d+) procedures/g;
    const [ci, ops] = [...text.matchAll(all)];
    expect(Number(ops![1])).toBe(Number(ops![2]));
    expect(Number(ci![1])).toBeLessThan(Number(ci![2]));
    expect(text).not.toContain(sha);
  });

  it('refuses a gateway whose default region the SDK does not know (serve exits 2)', () => {
    const config = { connectionTimeoutMs: 1, requestTimeoutMs: 1 };
    expect(() => createAwsClients({ ...config, region: 'zz-fake-1' })).toThrowError(ConfigError);
    expect(() => createAwsClients({ ...config, region: 'zz-fake-1' })).toThrowError(
      "region 'zz-fake-1' is not an AWS region known to the installed AWS SDK",
    );
    const clients = createAwsClients({ ...config, region: 'eu-west-1' });
    expect(() => clients.ec2('us-fake-9')).toThrowError(/not an AWS region known to the SDK/);
    expect(clients.cachedRegions()).toEqual([]);
    clients.destroy();
  });

  it('names the file when it is missing or unparsable', () => {
    expect(() => loadAuthFile(join(dir, 'nope.yaml'))).toThrowError(
      /cannot read auth file .*nope\.yaml: ENOENT/,
    );
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ tokens: ');
    expect(() => loadAuthFile(path)).toThrowError(/broken\.json is not valid JSON/);
  });
});

describe('operation patterns', () => {
  const m = (
    p: string,
    operation: string,
    kind: 'query' | 'mutation' | 'subscription',
    service: 'ec2' | 'elb' = 'ec2',
  ) => compilePattern(p).matches({ service, operation, kind });
  it('match wildcards, exact names, services and the read/write shorthands', () => {
    expect(m('ec2:Describe*', 'DescribeInstances', 'query')).toBe(true);
    expect(m('ec2:Describe*', 'RunInstances', 'mutation')).toBe(false);
    expect(m('ec2:Describe*', 'DescribeInstances', 'query', 'elb')).toBe(false);
    expect(m('elb:*', 'CreateLoadBalancer', 'mutation', 'elb')).toBe(true);
    expect(m('ec2:TerminateInstances', 'TerminateInstances', 'mutation')).toBe(true);
    expect(m('ec2:TerminateInstances', 'TerminateInstancesX', 'mutation')).toBe(false);
    expect(m('ec2:read', 'DescribeInstances', 'query')).toBe(true);
    expect(m('ec2:read', 'DescribeInstances', 'subscription')).toBe(true);
    expect(m('ec2:read', 'StopInstances', 'mutation')).toBe(false);
    expect(m('ec2:write', 'StopInstances', 'mutation')).toBe(true);
    expect(m('ec2:write', 'DescribeInstances', 'query')).toBe(false);
    expect(m('*', 'Anything', 'mutation', 'elb')).toBe(true);
  });
});

describe('bearerToken', () => {
  it('reads only a well-formed Bearer header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
