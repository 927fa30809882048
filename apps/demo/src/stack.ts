import type { AuthFile } from '@aws-trpc/api';
import { type Stack, startStack } from '@aws-trpc/testkit';

/** What the demo talks to: the embedded emulator (default) or real AWS through the SDK's own chain. */
export type Upstream = 'emulator' | 'aws';

export interface DemoStackOptions {
  upstream?: Upstream;
  /** Emulator clock; 'virtual' in tests, which then move time with `stack.clock.advance`. */
  clock?: 'real' | 'virtual';
  /** Emulator transition delays (ms). */
  delays?: { pending?: number; stopping?: number; shuttingDown?: number; rebooting?: number };
  region?: string;
  /**
   * Bearer tokens the gateway accepts (SECURITY.md's auth file: a path, or its parsed content).
   * Without it every caller may call everything, which is fine on 127.0.0.1 with the emulator.
   */
  auth?: string | AuthFile;
  /** Pinned ports of the gateway and the emulator (127.0.0.1); unset: free ones. */
  ports?: { gateway?: number; emulator?: number };
}

export interface DemoStack extends Stack {
  readonly upstream: Upstream;
}

/** A few seconds per transition, so a person watching the dashboard sees pending and stopping. */
export const demoDelays = { pending: 4_000, stopping: 4_000, shuttingDown: 4_000, rebooting: 2_000 };

/** The testkit's stack (emulator, unless `upstream: 'aws'`, + gateway on 127.0.0.1), set up for people. */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const upstream = options.upstream ?? 'emulator';
  const region = options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1');
  const stack = await startStack({
    upstream,
    region,
    clock: options.clock ?? 'real',
    delays: { ...demoDelays, ...options.delays },
    ...(options.auth ? { auth: options.auth } : {}),
    // The emulator sends EC2's state-change events through EventBridge to SQS, as AWS does: the
    // dashboard hears changes made anywhere (the walkthrough, the AWS CLI) within a second or two.
    events: upstream === 'emulator',
    ...(options.ports ? { ports: options.ports } : {}),
    log: { level: 'warn' },
    // The emulator is local: poll it often enough that a 4 s transition is always seen. AWS: the defaults.
    ...(upstream === 'emulator' ? { streams: { fastIntervalMs: 1_000, slowIntervalMs: 2_000 } } : {}),
  });
  return Object.assign(stack, { upstream });
}
