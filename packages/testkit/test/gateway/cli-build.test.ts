import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { currentBuild } from '@aws-trpc/api/build-info';
import { createClient } from '@aws-trpc/client';
import { emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** packages/api, found the way Node finds the package (its entry is src/index.ts). */
const apiRoot = join(dirname(createRequire(import.meta.url).resolve('@aws-trpc/api')), '..');
// Inside packages/api, so that the bundle resolves its external npm packages as dist/ does.
const outdir = join('dist', `test-${process.pid}`);
const out = join(apiRoot, outdir);

/** Resolves with the first stdout match; rejects if the process exits first. */
function lineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = seen.match(pattern);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}`)));
  });
}

describe('the api build (scripts/build.ts)', () => {
  beforeAll(() => {
    const tsx = createRequire(join(apiRoot, 'package.json')).resolve('tsx/cli');
    execFileSync(process.execPath, [tsx, 'scripts/build.ts', '--outdir', outdir], { cwd: apiRoot });
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles the workspace sources, keeps npm packages external, and loads the gateway lazily', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as { inputs: string[] };
    expect(manifest.inputs).toEqual(
      expect.arrayContaining(['src/cli/bin.ts', 'src/gateway.ts', '../shared/src/index.ts']),
    );
    // The production gateway carries no emulator.
    expect(manifest.inputs.filter((i) => i.includes('emulator'))).toEqual([]);
    expect(manifest.inputs.some((i) => i.includes('node_modules'))).toBe(false);
    const code = readdirSync(out)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(out, f), 'utf8'));
    const all = code.join('\n');
    expect(all).not.toMatch(/from ["']@aws-trpc\//);
    expect(all).toMatch(/from ["']@aws-sdk\/client-ec2["']/);
    // `--help` and usage errors must not pay for the SDKs: cli.js itself imports none of them.
    expect(readFileSync(join(out, 'cli.js'), 'utf8')).not.toMatch(/from ["']@aws-sdk\//);
  });

  it('serves under plain Node: answers /healthz and a typed call, exits 0 on SIGTERM', async () => {
    const emulator = await startEmulator({ clock: 'virtual' });
    const args = [join(out, 'cli.js'), 'serve', '--endpoint', emulator.url, '--port', '0'];
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        AWS_TRPC_PORT: '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: emulatorCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulatorCredentials.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      const [, url] = await lineMatching(child, /listening on (http:\/\/\S+\/trpc)/);
      const origin = new URL(url ?? '').origin;
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      const client = createClient({ url: url ?? '' });
      const result = await client.ec2.describeInstances.query({});
      expect(result.Reservations).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    await emulator.close();
    expect(code).toBe(0);
  }, 60_000);
});

describe('currentBuild (which bin/aws-trpc.js runs)', () => {
  let root: string;
  const builtAt = Date.UTC(2026, 0, 1);
  const setMtime = (path: string, ms: number) => utimesSync(join(root, path), ms / 1000, ms / 1000);
  const rootUrl = () => pathToFileURL(`${root}/`);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'aws-trpc-build-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'src', 'a.ts'), '');
    writeFileSync(join(root, 'src', 'b.ts'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is undefined without a build (a fresh clone)', () => {
    expect(currentBuild(rootUrl())).toBeUndefined();
  });

  it('is dist/cli.js while every listed source is older than the build, and undefined once one changes or goes', () => {
    writeFileSync(
      join(root, 'dist', 'inputs.json'),
      JSON.stringify({ builtAt, inputs: ['src/a.ts', 'src/b.ts'] }),
    );
    setMtime('src/a.ts', builtAt - 1000);
    setMtime('src/b.ts', builtAt);
    expect(currentBuild(rootUrl())?.href).toBe(new URL('dist/cli.js', rootUrl()).href);
    setMtime('src/b.ts', builtAt + 1);
    expect(currentBuild(rootUrl())).toBeUndefined();
    setMtime('src/b.ts', builtAt - 1000);
    rmSync(join(root, 'src', 'a.ts'));
    expect(currentBuild(rootUrl())).toBeUndefined();
  });
});
