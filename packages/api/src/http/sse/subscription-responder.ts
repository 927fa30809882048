import type http from 'node:http';
import { type AnyTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError } from '@trpc/server';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import { parseConnectionParamsFromString } from '@trpc/server/http';
import type { GatewayContext } from '../../core/context';
import { t } from '../../core/trpc';
import type { Scheduler } from '../../time/scheduler';
import {
  connectedFrame,
  encodeFrame,
  FrameEncoder,
  pingFrame,
  resumableId,
  returnFrame,
  sseEvent,
} from './frames';
import { Heartbeat } from './heartbeat';

export interface SubscriptionResponderOptions {
  /** The subscription procedures this responder serves, by path (`ec2.onInstanceStateChange`). */
  procedures: ReadonlyMap<string, AnyTRPCProcedure>;
  createContext: (opts: CreateHTTPContextOptions) => GatewayContext;
  /** The heartbeat's clock; the streams' scheduler, so a test on a virtual clock can see pings. */
  scheduler: Scheduler;
}

export interface SubscriptionResponder {
  /**
   * The subscription procedure a request names, when this responder serves it: a GET of one procedure.
   * Anything else (POST, a batch, a query) is tRPC's handler's, errors included.
   */
  procedureFor(req: http.IncomingMessage, path: string): AnyTRPCProcedure | undefined;
  respond(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    proc: AnyTRPCProcedure,
  ): Promise<void>;
}

/**
 * Serves tRPC subscriptions over SSE straight onto the Node response, in tRPC's wire format, so
 * `httpSubscriptionLink` and a resumed EventSource cannot tell it from tRPC's handler.
 *
 * Why not tRPC's own: on Node 20 its SSE producer pipes every event of every connection through async
 * generators, a ReadableStream, two TransformStreams and a WritableStream, and starts a ping timer and
 * promise race per event; at 1,000 subscribers that was ~300 µs of CPU and ~80 KB per subscriber
 * (BENCHMARKS.md). Here an event costs one resume of the subscription's generator and one `write` of a
 * Buffer that is encoded once for all subscribers (FrameEncoder), and one timer pings every connection.
 * The procedure itself runs as tRPC runs it, middleware included (auth, limits, logs, metrics).
 */
export function createSubscriptionResponder(options: SubscriptionResponderOptions): SubscriptionResponder {
  const { procedures, createContext, scheduler } = options;
  // The gateway's one tRPC instance: its transformer, error formatter and SSE settings.
  const config = t._config;
  const sse = config.sse ?? {};
  const pingMs = sse.ping?.enabled ? (sse.ping.intervalMs ?? 1_000) : 0;
  const inactivityMs = sse.client?.reconnectAfterInactivityMs;
  if (pingMs > 0 && inactivityMs !== undefined && pingMs >= inactivityMs) {
    // tRPC refuses this too: the client would reconnect between two pings of a healthy stream.
    throw new Error(
      `SSE ping interval ${pingMs} ms must be below reconnectAfterInactivityMs ${inactivityMs} ms`,
    );
  }
  const heartbeat = new Heartbeat(scheduler, pingMs);
  const serialize = (value: unknown) => config.transformer.output.serialize(value);
  const encoder = new FrameEncoder(serialize);
  const connected = connectedFrame(sse.client ?? {});

  async function respond(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    proc: AnyTRPCProcedure,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const abort = new AbortController();
    const onClose = () => abort.abort();
    res.once('close', onClose);
    // A socket that dies mid-write must not become an unhandled 'error'.
    res.on('error', onClose);

    const lastEventId = lastEventIdOf(req, url.searchParams);
    let input: unknown;
    let inputRead = false;
    const getRawInput = async () => {
      if (!inputRead) {
        input = withLastEventId(
          parseInput(url.searchParams, config.transformer.input.deserialize),
          lastEventId,
        );
        inputRead = true;
      }
      return input;
    };
    let ctx: GatewayContext | undefined;
    let data: unknown;
    let failure: TRPCError | undefined;
    try {
      const info: CreateHTTPContextOptions['info'] = {
        accept: null,
        type: 'subscription',
        isBatchCall: false,
        calls: [{ path, getRawInput, result: () => input, procedure: proc, batchIndex: 0 }],
        connectionParams: connectionParamsOf(url.searchParams),
        signal: abort.signal,
        url,
      };
      ctx = createContext({ req, res, info });
      data = await proc({
        path,
        getRawInput,
        ctx,
        type: 'subscription',
        signal: abort.signal,
        batchIndex: 0,
      });
      if (!isAsyncIterable(data)) {
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: `Subscription ${path} did not return an AsyncGenerator`,
        });
      }
    } catch (cause) {
      failure = getTRPCErrorFromUnknown(cause);
    }

    if (res.destroyed) return;
    res.writeHead(200, sseHeaders);
    const member = { wroteSinceTick: true, ping: () => write(pingFrame) };
    const write = (frame: Buffer): boolean => {
      if (res.writableEnded || res.destroyed) return true;
      member.wroteSinceTick = true;
      return res.write(frame);
    };
    write(connected);
    const leave = heartbeat.add(member);
    let lastId = resumableId(lastEventId);
    try {
      if (failure) throw failure;
      for await (const value of data as AsyncIterable<unknown>) {
        if (abort.signal.aborted) break;
        const out = encoder.frames(value, lastId);
        lastId = out.lastId;
        let flowing = true;
        for (const frame of out.frames) flowing = write(frame) && flowing;
        // A slow reader holds the subscription at its bounded queue (which resyncs on overflow), not here.
        if (!flowing) await drained(res);
      }
      if (!abort.signal.aborted) write(returnFrame);
    } catch (cause) {
      if (!abort.signal.aborted) {
        const error = getTRPCErrorFromUnknown(cause);
        const shape = getTRPCErrorShape({ config, ctx, error, input, path, type: 'subscription' });
        write(encodeFrame({ event: sseEvent.error, data: JSON.stringify(serialize(shape)) }));
      }
    } finally {
      leave();
      res.off('close', onClose);
      abort.abort();
      if (!res.writableEnded) res.end();
      // The 'error' listener stays: a socket can still fail after end().
    }
  }

  return {
    respond,
    procedureFor(req, path) {
      if (req.method !== 'GET' || /[?&]batch=/.test(req.url ?? '')) return undefined;
      return procedures.get(path);
    },
  };
}

/** As tRPC reads it: the Last-Event-ID header (EventSource's reconnect), else the query parameters. */
function lastEventIdOf(req: http.IncomingMessage, params: URLSearchParams): string | null {
  const header = req.headers['last-event-id'];
  return (
    (Array.isArray(header) ? header[0] : header) ?? params.get('lastEventId') ?? params.get('Last-Event-Id')
  );
}

function connectionParamsOf(params: URLSearchParams): ReturnType<typeof parseConnectionParamsFromString> {
  const raw = params.get('connectionParams');
  return raw === null ? null : parseConnectionParamsFromString(raw);
}

function parseInput(params: URLSearchParams, deserialize: (value: unknown) => unknown): unknown {
  const raw = params.get('input');
  if (raw === null) return undefined;
  try {
    return deserialize(JSON.parse(raw));
  } catch (cause) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: cause instanceof Error ? cause.message : 'Invalid input',
      cause,
    });
  }
}

/** tRPC hands a subscription its resume point as `input.lastEventId`. */
function withLastEventId(input: unknown, lastEventId: string | null): unknown {
  if (!lastEventId) return input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return { ...input, lastEventId };
  return input ?? { lastEventId };
}

/** tRPC's SSE response headers (its httpSubscriptionLink and proxies rely on them). */
const sseHeaders = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
} as const;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value;
}

function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
