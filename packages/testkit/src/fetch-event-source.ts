/**
 * A small WHATWG EventSource over fetch, for Node.js 20 (which has none) in tests and the benchmark.
 * Enough of it for tRPC's httpSubscriptionLink: named events, `id` (sent back as Last-Event-ID on
 * reconnect), `retry`, readyState and close().
 */
type Listener = (event: { type: string; data: string; lastEventId: string }) => void;

export class FetchEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  readonly url: string;
  readonly withCredentials = false;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly abort = new AbortController();
  private lastEventId = '';
  private retryMs = 1_000;
  /** Open connections across all instances: the leak test reads it. */
  static open = 0;

  constructor(url: string | URL, _init?: unknown) {
    this.url = String(url);
    void this.connect();
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = 2;
    this.abort.abort();
  }

  private dispatch(type: string, data = '', lastEventId = this.lastEventId): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l({ type, data, lastEventId });
  }

  private async connect(): Promise<void> {
    for (let attempt = 0; attempt < 100 && this.readyState !== 2; attempt++) {
      FetchEventSource.open++;
      try {
        const res = await fetch(this.url, {
          headers: {
            accept: 'text/event-stream',
            ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
          },
          signal: this.abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`SSE ${res.status}`);
        this.readyState = 1;
        this.dispatch('open');
        await this.read(res.body);
      } catch {
        // aborted or dropped: reconnect below unless closed
      } finally {
        FetchEventSource.open--;
      }
      if (this.readyState === 2) return;
      this.readyState = 0;
      this.dispatch('error');
      if (this.readyState === 2) return;
      await new Promise((r) => setTimeout(r, this.retryMs));
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = '';
    let data: string[] = [];
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl = buffer.search(/\r?\n/);
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(buffer[nl] === '\r' ? nl + 2 : nl + 1);
        if (line === '') {
          if (data.length) this.dispatch(event || 'message', data.join('\n'));
          event = '';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') this.lastEventId = value;
          else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
        }
        nl = buffer.search(/\r?\n/);
      }
    }
  }
}
