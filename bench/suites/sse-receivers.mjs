/**
 * A worker thread of plain SSE subscribers for the fan-out benches: `count` subscriptions to
 * ec2.onInstanceStateChange for one instance at `url`, each frame read with the least work (the
 * event's `type` and `state`), so receiving spreads over threads instead of one event loop.
 * Messages in: `{ counting: true }` (count changes from now on), `'collect'`. Out: `{ opened: n }` as
 * snapshots arrive, and `{ arrivals: [[key, times[]]…] }` for `'collect'`; `key` is `<state>#<n>`,
 * the n-th time from counting on that a subscriber heard the instance enter that state.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, instanceId, count } = workerData;
const wallNow = () => performance.timeOrigin + performance.now();
const input = encodeURIComponent(JSON.stringify({ j: { instanceIds: [instanceId] } }));
const arrivals = new Map();
const requests = [];
let counting = false;
let opened = 0;

function subscribe() {
  const seen = new Map();
  const req = http.get(`${url}/ec2.onInstanceStateChange?input=${input}`, {
    agent: false,
    headers: { accept: 'text/event-stream' },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    let buffered = '';
    res.on('data', (chunk) => {
      const at = wallNow();
      buffered += chunk;
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\n\n');
        if (frame.startsWith('event:') || frame.includes('\nevent:')) continue; // connected, ping, restore-id
        const start = frame.indexOf('data: ');
        if (start < 0) continue;
        const lineEnd = frame.indexOf('\n', start);
        const event = JSON.parse(frame.slice(start + 6, lineEnd < 0 ? undefined : lineEnd)).j;
        if (event.type === 'snapshot') {
          opened++;
          parentPort.postMessage({ opened });
        }
        if (event.type !== 'change' || !counting) continue;
        const n = seen.get(event.state) ?? 0;
        seen.set(event.state, n + 1);
        const key = `${event.state}#${n}`;
        const list = arrivals.get(key) ?? [];
        list.push(at);
        arrivals.set(key, list);
      }
    });
  });
  req.on('error', () => {});
  requests.push(req);
}

for (let i = 0; i < count; i++) subscribe();

parentPort.on('message', (message) => {
  if (message === 'collect') parentPort.postMessage({ arrivals: [...arrivals] });
  else if (message === 'close') {
    for (const req of requests) req.destroy();
    parentPort.close();
  } else if (message?.counting) counting = true;
});
