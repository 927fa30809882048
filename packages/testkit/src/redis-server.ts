import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A real redis-server (Debian's `redis-server` package) for the tests: on a free port of 127.0.0.1,
 * with no persistence, stopped by `stop()`. `.ci/run` installs it. Where it is missing, `redisServer`
 * says so: under CI=true that fails the run; elsewhere the tests skip and tell how to install it.
 */

const binary = ['/usr/bin/redis-server', 'redis-server'].find(
  (candidate) => spawnSync(candidate, ['--version'], { encoding: 'utf8' }).status === 0,
);

export const redisInstalled = binary !== undefined;

export const redisMissing =
  'redis-server is not installed: these tests need a real Redis (apt-get install redis-server)';

/** Throws under CI=true when redis-server is missing (a missing service fails CI); else warns once. */
export function requireRedisInCi(file: string): boolean {
  if (redisInstalled) return true;
  if (process.env.CI === 'true') throw new Error(`${file}: ${redisMissing}`);
  console.warn(`${file} skipped: ${redisMissing}`);
  return false;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGKILL when `hard`): what a crash of Redis looks like to the gateways. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port, empty (no persistence): what a restarted Redis looks like. */
  restart(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number): Promise<ChildProcess> {
  if (!binary) return Promise.reject(new Error(redisMissing));
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/Ready to accept connections/.test(out)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready: ${out.slice(-500)}`)),
    );
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  const stop = async (hard = false) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart() {
      await stop(true);
      child = await launch(port);
    },
  };
}
