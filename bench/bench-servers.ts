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

/** Forks bench-server-process.ts, seeded with `seed` instances per region, and waits for its URLs. */
export function startBenchServers(seed: Record<string, number>): Promise<BenchServers> {
  const arg = Object.entries(seed)
    .map(([region, n]) => `${region}=${n}`)
    .join(',');
  const child = fork(benchFile('bench-server-process.ts'), ['--seed', arg], {
    cwd: repoRoot,
    execArgv: tsExecArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server process exited early (code ${code})`)));
    child.once('message', (message) => {
      resolve({
        ...(message as ServerUrls),
        async close() {
          child.disconnect();
          await exited;
        },
      });
    });
  });
}
