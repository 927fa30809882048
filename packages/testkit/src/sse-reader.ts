import http from 'node:http';

export interface SseFrameRead {
  /** The frame as sent, without its terminating blank lines. */
  raw: string;
  event: string | undefined;
  data: string;
  id: string | undefined;
}

export interface SseReader {
  status: Promise<{ statusCode: number; headers: http.IncomingHttpHeaders }>;
  frames: SseFrameRead[];
  /** Resolves once a frame matching `match` has arrived (counting earlier ones), with all frames so far. */
  until(match: (frame: SseFrameRead) => boolean, count?: number): Promise<SseFrameRead[]>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A raw SSE GET, frames kept as the bytes came: tests compare what two servers wrote, or wait for a
 * frame, without an EventSource or tRPC in between. Waits never sleep: each resolves on the frame.
 */
export function openSse(url: string, headers: Record<string, string> = {}): SseReader {
  const frames: SseFrameRead[] = [];
  const waits: {
    match: (f: SseFrameRead) => boolean;
    count: number;
    resolve: (f: SseFrameRead[]) => void;
  }[] = [];
  const check = () => {
    for (const w of [...waits]) {
      if (frames.filter(w.match).length >= w.count) {
        waits.splice(waits.indexOf(w), 1);
        w.resolve(frames.slice());
      }
    }
  };
  const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } });
  let endedResolve: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    endedResolve = resolve;
  });
  const status = new Promise<{ statusCode: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers });
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const raw = buffered.slice(0, end).replace(/^\n+/, '');
          buffered = buffered.slice(end + 2);
          if (!raw) continue;
          const field = (name: string) => {
            const line = raw.split('\n').find((l) => l.startsWith(`${name}:`));
            return line === undefined ? undefined : line.slice(name.length + 1).trimStart();
          };
          frames.push({ raw, event: field('event'), data: field('data') ?? '', id: field('id') });
        }
        check();
      });
      res.on('end', endedResolve);
      res.on('close', endedResolve);
    });
  });
  return {
    status,
    frames,
    ended,
    until(match, count = 1) {
      return new Promise((resolve) => {
        waits.push({ match, count, resolve });
        check();
      });
    },
    close: () => req.destroy(),
  };
}

export const isPing = (f: SseFrameRead) => f.event === 'ping';
export const isData = (f: SseFrameRead) => f.event === undefined;
