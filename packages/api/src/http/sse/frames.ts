import { isTrackedEnvelope } from '@trpc/server';

/**
 * Server-sent event frames in tRPC v11's SSE format (what `httpSubscriptionLink` reads): the lines
 * `event:`, `data:`, `id:` in that order, each ending in `\n`, then `\n\n`. The values are JSON of the
 * transformer's output. https://html.spec.whatwg.org/multipage/server-sent-events.html
 * test/streams-sse-conformance.test.ts compares these bytes with tRPC's own producer.
 */
export interface SseFrame {
  event?: string;
  data: string;
  id?: string;
}

export function encodeFrame(frame: SseFrame): Buffer {
  let text = '';
  if (frame.event !== undefined) text += `event: ${frame.event}\n`;
  text += `data: ${frame.data}\n`;
  if (frame.id !== undefined) text += `id: ${frame.id}\n`;
  return Buffer.from(`${text}\n\n`);
}

/** tRPC's named events; `restore-id` puts the EventSource's last id back after an event without one. */
export const sseEvent = {
  connected: 'connected',
  ping: 'ping',
  return: 'return',
  error: 'serialized-error',
  restoreId: 'restore-id',
} as const;

/** The first frame of every stream: the client options, e.g. `reconnectAfterInactivityMs`. */
export function connectedFrame(clientOptions: object): Buffer {
  return encodeFrame({ event: sseEvent.connected, data: JSON.stringify(clientOptions) });
}

export const pingFrame = encodeFrame({ event: sseEvent.ping, data: '' });
export const returnFrame = encodeFrame({ event: sseEvent.return, data: '' });

/** An id the client can send back: EventSource drops ids with NUL, CR or LF. */
export function resumableId(id: string | null | undefined): string | null {
  return id && !/[\0\n\r]/.test(id) ? id : null;
}

/**
 * Encodes what a subscription yields, once per event object: every subscriber of a shared source is
 * handed the same event object, so 1,000 subscribers cost one JSON.stringify and one Buffer, written to
 * each socket as is. Keyed weakly by the object: a cached frame lives as long as the event does.
 */
export class FrameEncoder {
  private readonly cache = new WeakMap<object, { id: string; frame: Buffer }>();

  constructor(private readonly serialize: (value: unknown) => unknown) {}

  /**
   * The frames for one yielded value on a connection whose EventSource holds `lastId`, and the id it
   * holds after them. As tRPC does: a value without an id would inherit `lastId` on the client, so it
   * goes out with an empty id, followed by a `restore-id` frame that puts `lastId` back for resuming.
   */
  frames(value: unknown, lastId: string | null): { frames: Buffer[]; lastId: string | null } {
    if (isTrackedEnvelope(value)) {
      const [id, data] = value;
      return { frames: [this.cached(id, data)], lastId: id };
    }
    if (lastId === null) return { frames: [this.encode(value)], lastId };
    return {
      frames: [this.encode(value, ''), encodeFrame({ event: sseEvent.restoreId, data: '', id: lastId })],
      lastId,
    };
  }

  private cached(id: string, data: unknown): Buffer {
    if (data === null || typeof data !== 'object') return this.encode(data, id);
    const hit = this.cache.get(data);
    if (hit?.id === id) return hit.frame;
    const frame = this.encode(data, id);
    this.cache.set(data, { id, frame });
    return frame;
  }

  private encode(value: unknown, id?: string): Buffer {
    return encodeFrame({ data: JSON.stringify(this.serialize(value)), ...(id !== undefined ? { id } : {}) });
  }
}
