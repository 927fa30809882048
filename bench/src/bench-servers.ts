import { fork } from 'node:child_process';
import { benchFile, repoRoot, tsExecArgv } from './ts-process';

export const benchCredentials = { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench-secret' };
export const benchImageId = 'ami-0453ec754f44f9a4a';

export interface ServerUrls {
  emulator: string;
  /** The gateway's tRPC URL. */
  gateway: string;
  bare: string;
  /** The seeded instance ids, by region. */
  ids: Record<string, string[]>;
}

export interface BenchServers extends ServerUrls {
  close(): Promise<void>;
}

function forkRole(args: string[]): Promise<{ urls: Partial<ServerUrls>; close(): Promise<void> }> {
  const child = fork(benchFile('bench-server-process.ts'), args, {
    cwd: repoRoot,
    execArgv: tsExecArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server process exited early (code ${code})`)));
    child.once('message', (message) => {
      resolve({
        urls: message as Partial<ServerUrls>,
        async close() {
          child.disconnect();
          await exited;
        },
      });
    });
  });
}

/**
 * Forks the upstream process (emulator seeded with `seed` instances per region, bare server) and a
 * gateway process in front of it, and waits for their URLs.
 */
export async function startBenchServers(seed: Record<string, number>): Promise<BenchServers> {
  const arg = Object.entries(seed)
    .map(([region, n]) => `${region}=${n}`)
    .join(',');
  const upstream = await forkRole(['--role', 'upstream', '--seed', arg]);
  const gateway = await forkRole(['--role', 'gateway', '--endpoint', upstream.urls.emulator!]).catch(
    async (error: unknown) => {
      await upstream.close();
      throw error;
    },
  );
  return {
    ...(upstream.urls as ServerUrls),
    gateway: gateway.urls.gateway!,
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}
