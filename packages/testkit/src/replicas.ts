import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { emulatorCredentials } from '@aws-trpc/emulator';

/**
 * Gateway replicas as operators run them: each the real `aws-trpc serve` in a process of its own, in
 * front of one upstream and sharing one Redis (`--redis-url`).
 */

const bin = join(
  dirname(createRequire(import.meta.url).resolve('@aws-trpc/api')),
  '..',
  'bin',
  'aws-trpc.js',
);

export interface Replica {
  readonly replicaId: string;
  /** The tRPC URL. */
  readonly url: string;
  readonly origin: string;
  readonly process: ChildProcess;
  /** What it printed, for a failing test's message. */
  output(): string;
  /** SIGKILL: the replica dies without a word (its lease is left to expire). */
  kill(): Promise<void>;
  /** SIGTERM, and its exit code. */
  stop(): Promise<number | null>;
}

export interface ReplicaOptions {
  /** The upstream (an emulator's URL); its credentials are the emulator's. */
  endpoint: string;
  redisUrl: string;
  /** More flags of `aws-trpc serve` (`--events-queue-url …`, `--auth-file …`). */
  args?: string[];
  env?: Record<string, string>;
}

export async function startReplica(replicaId: string, options: ReplicaOptions): Promise<Replica> {
  const args = [
    bin,
    'serve',
    '--port',
    '0',
    '--endpoint',
    options.endpoint,
    '--redis-url',
    options.redisUrl,
    '--replica-id',
    replicaId,
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: emulatorCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulatorCredentials.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_TRPC_LOG_LEVEL: process.env.AWS_TRPC_LOG_LEVEL ?? 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+\/trpc)/.exec(output);
      if (m) {
        child.stdout?.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => reject(new Error(`replica ${replicaId} exited (${code}): ${output}`)));
  });
  return {
    replicaId,
    url,
    origin: new URL(url).origin,
    process: child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** `count` replicas named r1, r2, … started one after the other. */
export async function startReplicas(count: number, options: ReplicaOptions): Promise<Replica[]> {
  const replicas: Replica[] = [];
  try {
    for (let i = 1; i <= count; i++) replicas.push(await startReplica(`r${i}`, options));
  } catch (error) {
    await Promise.all(replicas.map((r) => r.kill()));
    throw error;
  }
  return replicas;
}
