import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Control, createControl, Faults, RequestLog } from './control';
import { createEventsControl, createSqsControl } from './control-events';
import { type Clock, realClock, virtualClock } from './core/clock';
import { EmulatorEnv } from './core/env';
import { type Delays, defaultDelays, type HandlerMap, Region, type ServiceName } from './core/types';
import { createRequestListener, type EmulatorState } from './server';
import { ec2Handlers } from './services/ec2';
import { elbHandlers } from './services/elb';
import { eventsHandlers } from './services/events';
import { sqsHandlers } from './services/sqs';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** 'real' (the default), 'virtual' (starts at 2026-01-01 and moves only on advance()), or your own. */
  clock?: 'real' | 'virtual' | Clock;
  delays?: Partial<Delays>;
  /** The account id in OwnerId and ARNs; defaults to 123456789012. */
  accountId?: string;
  /** Where unexpected handler failures are reported (they answer 500 InternalError). Defaults to stderr. */
  log?: (message: string, error?: unknown) => void;
}

export interface Emulator {
  /** For example http://127.0.0.1:45123, the endpoint for both EC2 and ELB. */
  readonly url: string;
  readonly clock: Clock;
  readonly control: Control;
  close(): Promise<void>;
}

export const defaultHandlers: Record<ServiceName, HandlerMap> = {
  ec2: ec2Handlers,
  elb: elbHandlers,
  sqs: sqsHandlers,
  events: eventsHandlers,
};

function clockOf(option: EmulatorOptions['clock']): Clock {
  if (option === undefined || option === 'real') return realClock();
  if (option === 'virtual') return virtualClock();
  return option;
}

/**
 * Starts an emulator on its own HTTP server. `handlers` is for tests of the protocol layer that
 * need a handler map of their own; everyone else gets the EC2 and ELB behaviour.
 */
export async function startEmulator(
  options: EmulatorOptions = {},
  handlers: Record<ServiceName, HandlerMap> = defaultHandlers,
): Promise<Emulator> {
  const clock = clockOf(options.clock);
  const accountId = options.accountId ?? '123456789012';
  const initialDelays: Delays = { ...defaultDelays, ...options.delays };
  // State lives on this instance only: several emulators may run in one process.
  const regions = new Map<string, Region>();
  const log =
    options.log ?? ((message, error) => console.error(`[aws-trpc-emulator] ${message}`, error ?? ''));
  // Timers, cross-region lookups and emulator-wide slots (long polls, EventBridge deliveries).
  const env = new EmulatorEnv(clock, (name) => state.region(name), log);
  const state: EmulatorState = {
    clock,
    delays: { ...initialDelays },
    initialDelays,
    handlers,
    faults: new Faults(),
    requests: new RequestLog(),
    region(name) {
      let region = regions.get(name);
      if (!region) {
        region = new Region(name, accountId, env);
        regions.set(name, region);
      }
      return region;
    },
    resetRegions: () => {
      env.reset();
      regions.clear();
    },
    log,
    events: createEventsControl(env),
    sqs: createSqsControl(env, () => regions.values()),
  };
  const control = createControl(state);
  // Small answers must not wait for Nagle. SDK agents keep idle sockets with no timeout of their own,
  // so a short server keep-alive races their reuse of an idle socket (ECONNRESET); AWS's front ends
  // hold idle connections for about a minute.
  const server = createServer({ noDelay: true }, createRequestListener(state, control));
  server.keepAliveTimeout = 60_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    clock,
    control,
    close() {
      // Pending long polls answer (empty) and no timer outlives the emulator.
      if (!closing) env.reset();
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
