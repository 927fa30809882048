/**
 * Cold start (issue 8): time to ready and resident memory of `aws-trpc serve --endpoint <emulator>`
 * (the real CLI, bin/aws-trpc.js, in front of an emulator in the bench process; ready = /healthz 200) against a process that only imports and creates
 * the two SDK clients (sdk-only-process.mjs; ready = it says so). Median of N alternating runs.
 * The full run builds the api first (`pnpm --filter @aws-trpc/api build`), so the bin runs dist/cli.js
 * under plain Node, as a deployment does; the smoke run measures whichever the bin picks.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { currentBuild } from '@aws-trpc/api/build-info';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { type Figure, figure, type GoalResult } from '../src/figure';
import { median } from '../src/stats';
import { benchFile, repoRoot } from '../src/ts-process';

const suite = 'cold-start';
/** packages/api, found the way Node finds the package (its entry is src/index.ts). */
const apiRoot = `${dirname(dirname(createRequire(import.meta.url).resolve('@aws-trpc/api')))}/`;
const cli = `${apiRoot}bin/aws-trpc.js`;

/** Runs the api's build script (its `build` script, without needing pnpm on PATH). */
function buildApi(): void {
  const tsx = createRequire(`${apiRoot}package.json`).resolve('tsx/cli');
  execFileSync(process.execPath, [tsx, 'scripts/build.ts'], { cwd: apiRoot, stdio: 'ignore' });
}

interface Start {
  readyMs: number;
  rssMb: number;
}

/** Resident set size of a live process, from /proc (Linux) or ps (elsewhere). */
function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** Resolves with the first stdout match of `pattern`; rejects if the process exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onExit = (code: number | null) => reject(new Error(`exited (code ${code}) before ready: ${seen}`));
    child.once('exit', onExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.off('exit', onExit);
        resolve(match);
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function startGatewayOnce(upstream: Emulator): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'serve', '--endpoint', upstream.url, '--port', '0'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: emulatorCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulatorCredentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const [, origin] = await waitForLine(child, /listening on (http:\/\/[^/\s]+)/);
    // The CLI prints once it listens; ready is when /healthz answers. A bounded retry covers a refusal.
    for (let attempt = 0; attempt < 100; attempt++) {
      const res = await fetch(`${origin}/healthz`).catch(() => undefined);
      if (res?.ok) break;
    }
    const readyMs = performance.now() - t0;
    return { readyMs, rssMb: rssMb(child.pid!) };
  } finally {
    await stop(child);
  }
}

async function startSdkOnlyOnce(): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [benchFile('sdk-only-process.mjs')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  try {
    await waitForLine(child, /^ready/m);
    const readyMs = performance.now() - t0;
    return { readyMs, rssMb: rssMb(child.pid!) };
  } finally {
    child.stdin!.end();
    await stop(child);
  }
}

export async function runColdStartBench({ smoke }: { smoke: boolean }): Promise<{
  method: string;
  figures: Figure[];
  goals: GoalResult[];
}> {
  const runs = smoke ? 1 : 7;
  if (!smoke) buildApi();
  const built = currentBuild() !== undefined;
  const upstream = await startEmulator();
  const gateway: Start[] = [];
  const sdk: Start[] = [];
  try {
    // One unmeasured start of each fills the OS file cache and tsx's transform cache, as any second start has.
    if (!smoke) {
      await startGatewayOnce(upstream);
      await startSdkOnlyOnce();
    }
    for (let i = 0; i < runs; i++) {
      gateway.push(await startGatewayOnce(upstream));
      sdk.push(await startSdkOnlyOnce());
    }
  } finally {
    await upstream.close();
  }
  // A source edited meanwhile makes the bin fall back to tsx: that would be a different measurement.
  if (!smoke && currentBuild() === undefined) {
    throw new Error('packages/api sources changed during the cold-start bench; run it again');
  }
  const g = { readyMs: median(gateway.map((s) => s.readyMs)), rssMb: median(gateway.map((s) => s.rssMb)) };
  const s = { readyMs: median(sdk.map((x) => x.readyMs)), rssMb: median(sdk.map((x) => x.rssMb)) };
  const timeRatio = g.readyMs / s.readyMs;
  const rssRatio = g.rssMb / s.rssMb;
  const figures = [
    figure(suite, 'aws-trpc serve, time to /healthz', g.readyMs, 'ms'),
    figure(suite, 'aws-trpc serve, RSS when ready', g.rssMb, 'MB'),
    figure(suite, 'SDK-only process, time to ready', s.readyMs, 'ms'),
    figure(suite, 'SDK-only process, RSS when ready', s.rssMb, 'MB'),
    figure(suite, 'time to ready, gateway / SDK-only', timeRatio, 'x'),
    figure(suite, 'RSS, gateway / SDK-only', rssRatio, 'x'),
  ];
  const goals: GoalResult[] = [
    {
      goal: 'cold start time vs SDK-only process',
      measured: timeRatio,
      bound: '≤ 3',
      unit: 'x',
      pass: timeRatio <= 3,
    },
    {
      goal: 'cold start RSS vs SDK-only process',
      measured: rssRatio,
      bound: '≤ 1.5',
      unit: 'x',
      pass: rssRatio <= 1.5,
    },
  ];
  return {
    method:
      `median of ${runs} alternating starts after one unmeasured start of each; from spawn to ` +
      '/healthz 200 for `node packages/api/bin/aws-trpc.js serve --endpoint <emulator> --port 0` (' +
      (built
        ? 'the esbuild bundle packages/api/dist/cli.js under plain Node'
        : 'no current build: tsx loads the TypeScript sources') +
      '), to its `ready` line for plain `node bench/src/sdk-only-process.mjs`; RSS from /proc when ready.',
    figures,
    goals,
  };
}
