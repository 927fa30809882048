import type { Writable } from 'node:stream';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type AuthFile,
  createGateway,
  createObservability,
  createSecurity,
  type EventsQueue,
  type Gateway,
  type GatewayOptions,
  type Observability,
  type Security,
  type SecurityOptions,
  type StaticCredentials,
  type StreamRegistryOptions,
  setUpEventsQueue,
  type VirtualScheduler,
  virtualScheduler,
} from '@aws-trpc/api';
import {
  type AwsResources,
  type CreateClientOptions,
  createClient,
  type GatewayClient,
  resources,
} from '@aws-trpc/client';
import { type Delays, type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';

/**
 * Where the gateway sends its AWS calls: the embedded emulator (default), another endpoint that speaks
 * AWS (LocalStack, moto, an emulator in another process), or AWS itself through the SDK's own
 * endpoint resolution and credential chain.
 */
export type Upstream = 'emulator' | 'aws' | { endpoint: string; credentials?: StaticCredentials };

export interface StackOptions {
  upstream?: Upstream;
  /**
   * The embedded emulator's clock. 'virtual' (the default) also puts the gateway's polls and waiter
   * delays on it, so a test moves time with `stack.clock.advance(ms)` instead of sleeping.
   */
  clock?: 'virtual' | 'real';
  /** The embedded emulator's transition delays (ms). */
  delays?: Partial<Delays>;
  /**
   * The push source, on the embedded emulator: an events queue and its EventBridge rule are set up
   * (as `aws-trpc events setup` does) and the gateway consumes it. Default false: the streams poll.
   */
  events?: boolean;
  /** Replicas: the Redis this gateway shares (`--redis-url`), and its replica name. */
  redis?: { url: string; replicaId?: string; leaseTtlMs?: number; retention?: number };
  /** The gateway's default region. Default us-east-1. */
  region?: string;
  /** Bearer tokens the gateway accepts: an auth file's path or its content. Without: anonymous callers. */
  auth?: string | AuthFile;
  /** Limits, audit file, timeouts; a stack keeps the gateway's defaults unless told otherwise. */
  security?: Partial<SecurityOptions>;
  /** Poll intervals and buffer of the instance-state streams (the clock comes from `clock`). */
  streams?: Omit<StreamRegistryOptions, 'scheduler'>;
  /** The rest of the gateway's options (SDK attempts, request timeouts, SSE writer). */
  gateway?: Omit<GatewayOptions, 'region' | 'endpoint' | 'credentials' | 'streams'>;
  /** Log level of the gateway (default silent) and where the lines go (default stdout). */
  log?: { level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'; destination?: Writable };
  /** Where the gateway and the emulator listen; 0 (default) picks a free port. Always 127.0.0.1. */
  ports?: { gateway?: number; emulator?: number };
  /** Options of the stack's own client (a token, batching). */
  client?: Omit<CreateClientOptions, 'url'>;
}

export interface Stack {
  /** The gateway's tRPC URL, for `createClient({ url })`. */
  readonly url: string;
  /** `http://127.0.0.1:port`, where `/healthz`, `/readyz` and `/metrics` answer. */
  readonly origin: string;
  readonly region: string;
  readonly gateway: Gateway;
  readonly security: Security;
  readonly observability: Observability;
  /** The embedded emulator; absent for another upstream. */
  readonly emulator?: Emulator;
  /** The virtual clock of emulator and gateway together; absent on a real clock. */
  readonly clock?: VirtualScheduler;
  /** The typed client, and its boto3-style resources. */
  readonly client: GatewayClient;
  readonly ec2: AwsResources['ec2'];
  readonly elb: AwsResources['elb'];
  /** The AWS SDK pointed straight at the upstream, to act outside the gateway. */
  readonly sdk: { readonly ec2: EC2Client };
  /** The upstream's endpoint; undefined for AWS itself. */
  readonly endpoint: string | undefined;
  /** The push source's queue and rule, when the stack was started with `events: true`. */
  readonly events?: EventsQueue;
  close(): Promise<void>;
}

/**
 * The real pieces on loopback: emulator ← gateway (HTTP + SSE) ← client. Every test harness, the
 * demo and the benchmarks start their stack here, so the gateway is assembled in one place.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const region = options.region ?? 'us-east-1';
  const upstream = options.upstream ?? 'emulator';
  const emulator =
    upstream === 'emulator'
      ? await startEmulator({
          clock: options.clock ?? 'virtual',
          ...(options.delays ? { delays: options.delays } : {}),
          ...(options.ports?.emulator !== undefined ? { port: options.ports.emulator } : {}),
        })
      : undefined;
  try {
    const clock = emulator?.clock.kind === 'virtual' ? virtualScheduler(emulator.clock) : undefined;
    const endpoint = emulator?.url ?? (typeof upstream === 'object' ? upstream.endpoint : undefined);
    const credentials = emulator
      ? emulatorCredentials
      : typeof upstream === 'object'
        ? (upstream.credentials ?? emulatorCredentials)
        : undefined;
    const observability = createObservability({
      level: options.log?.level ?? 'silent',
      ...(options.log?.destination ? { destination: options.log.destination } : {}),
    });
    const auth = options.auth;
    const security = createSecurity(
      {
        ...(typeof auth === 'string' ? { authFile: auth } : auth ? { auth } : {}),
        ...options.security,
      },
      observability.logger,
    );
    const events = options.events && emulator ? await eventsQueueOn(emulator.url, region) : undefined;
    const gateway = createGateway(
      {
        ...options.gateway,
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials: { ...credentials } } : {}),
        streams: { ...options.streams, ...(clock ? { scheduler: clock } : {}) },
        ...(events ? { events: { queueUrl: events.queueUrl } } : {}),
        ...(options.redis ? { redis: options.redis } : {}),
      },
      { security, observability },
    );
    const { url, origin } = await gateway.listen(options.ports?.gateway ?? 0, '127.0.0.1');
    // The gateway connects to Redis in the background (a replica starts without it); a stack answers
    // once that first connection is up, or after 5 s if Redis is not there, as a test may want.
    const shared = gateway.deps.shared;
    for (let waited = 0; shared && !shared.connected && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const client = createClient({ ...options.client, url });
    const { ec2, elb } = resources(client);
    const sdk = {
      ec2: new EC2Client({
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials: { ...credentials } } : {}),
        maxAttempts: 1,
      }),
    };
    return {
      url,
      origin,
      region,
      gateway,
      // With Redis the gateway puts shared limits over the security it was given.
      security: gateway.deps.security ?? security,
      observability,
      ...(emulator ? { emulator } : {}),
      ...(clock ? { clock } : {}),
      client,
      ec2,
      elb,
      sdk,
      endpoint,
      ...(events ? { events } : {}),
      async close() {
        sdk.ec2.destroy();
        // Ends the SSE streams and the sources' pollers too.
        await gateway.close(1_000);
        await emulator?.close();
      },
    };
  } catch (error) {
    await emulator?.close();
    throw error;
  }
}

/** The events queue and its rule on an emulator, set up as `aws-trpc events setup` does on AWS. */
async function eventsQueueOn(endpoint: string, region: string): Promise<EventsQueue> {
  const options = { region, endpoint, credentials: { ...emulatorCredentials }, maxAttempts: 1 };
  const sqs = new SQSClient(options);
  const eventBridge = new EventBridgeClient(options);
  try {
    return await setUpEventsQueue({ sqs, eventBridge });
  } finally {
    sqs.destroy();
    eventBridge.destroy();
  }
}
