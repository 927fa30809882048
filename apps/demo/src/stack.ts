import {
  type AuthFile,
  createGateway,
  createObservability,
  createSecurity,
  type Gateway,
  type VirtualScheduler,
  virtualScheduler,
} from '@aws-trpc/api';
import { type Emulator, startEmulator } from '@aws-trpc/emulator';

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
}

export interface DemoStack {
  /** The gateway's tRPC URL. */
  readonly url: string;
  readonly origin: string;
  readonly gateway: Gateway;
  readonly upstream: Upstream;
  readonly region: string;
  /** Absent against real AWS. */
  readonly emulator?: Emulator;
  /** Present on a virtual clock: moves the emulator's clock and fires the gateway's polls and waiter timers. */
  readonly clock?: VirtualScheduler;
  close(): Promise<void>;
}

/** A few seconds per transition, so a person watching the dashboard sees pending and stopping. */
export const demoDelays = { pending: 4_000, stopping: 4_000, shuttingDown: 4_000, rebooting: 2_000 };

/** Emulator (unless `upstream: 'aws'`) + gateway on 127.0.0.1, with the live streams on the same clock. */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const upstream = options.upstream ?? 'emulator';
  const region = options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1');
  const emulator =
    upstream === 'emulator'
      ? await startEmulator({ clock: options.clock ?? 'real', delays: { ...demoDelays, ...options.delays } })
      : undefined;
  const clock = emulator && options.clock === 'virtual' ? virtualScheduler(emulator.clock) : undefined;
  const streams = {
    ...(clock ? { scheduler: clock } : {}),
    // The emulator is local: poll it often enough that a 4 s transition is always seen. AWS: the defaults.
    ...(emulator ? { fastIntervalMs: 1_000, slowIntervalMs: 2_000 } : {}),
  };
  const gateway = createGateway(
    emulator
      ? {
          region,
          streams,
          endpoint: emulator.url,
          credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'demo' },
        }
      : { region, streams },
    securityOf(options.auth),
  );
  try {
    const { url, origin } = await gateway.listen(0, '127.0.0.1');
    return {
      url,
      origin,
      gateway,
      upstream,
      region,
      ...(emulator ? { emulator } : {}),
      ...(clock ? { clock } : {}),
      async close() {
        // Also ends the streams' pollers.
        await gateway.close(1_000);
        await emulator?.close();
      },
    };
  } catch (error) {
    await emulator?.close();
    throw error;
  }
}

function securityOf(auth: DemoStackOptions['auth']) {
  if (auth === undefined) return {};
  const observability = createObservability({ level: 'warn' });
  const security = createSecurity(
    typeof auth === 'string' ? { authFile: auth } : { auth },
    observability.logger,
  );
  return { security, observability };
}
