import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hashToken } from '@aws-trpc/api';
import { type Emulator, emulatorCredentials, startEmulator } from '@aws-trpc/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * F3: ten concurrent DescribeInstances calls of 200,000 InstanceIds each (~4.6 MB) from a read-only
 * token once took the gateway to 1.13 GB and stalled /healthz for 4.5 s. Now such a body is refused from
 * its Content-Length before a byte of it is read (parsing it alone blocks an event loop for 40 ms or
 * more), and /healthz keeps answering.
 *
 * The gateway runs as the CLI runs it, in its own process, and the attacker (which also times /healthz)
 * in another: a test worker's own pauses (its GC, other tests' timers) reach 30-100 ms, which would be
 * measured instead of the gateway.
 */
const bin = join(
  dirname(createRequire(import.meta.url).resolve('@aws-trpc/api')),
  '..',
  'bin',
  'aws-trpc.js',
);
const token = 'atrpc_test-flood-reader';

let emulator: Emulator;
let gateway: ChildProcess;
let origin: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: 'virtual' });
  const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-flood-'));
  const authFile = join(dir, 'auth.json');
  writeFileSync(
    authFile,
    JSON.stringify({ tokens: [{ name: 'reader', sha256: hashToken(token), allow: ['ec2:read'] }] }),
  );
  gateway = spawn(
    process.execPath,
    [bin, 'serve', '--port', '0', '--endpoint', emulator.url, '--auth-file', authFile],
    {
      env: {
        ...process.env,
        AWS_TRPC_PORT: '',
        AWS_REGION: 'us-east-1',
        AWS_TRPC_LOG_LEVEL: 'warn',
        AWS_ACCESS_KEY_ID: emulatorCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulatorCredentials.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // Read stdout to the end (the gateway writes to it on SIGTERM too), and take the origin from it.
  let out = '';
  origin = await new Promise<string>((resolve, reject) => {
    gateway.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\/trpc/.exec(out);
      if (m) resolve(m[1]!);
    });
    gateway.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${out}`)));
  });
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
}, 60_000);

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill('SIGTERM');
    await once(gateway, 'exit');
  }
  await emulator?.close();
});

/**
 * Ten concurrent POSTs of 200,000 InstanceIds each; prints one JSON line with the answers and when
 * the attack started and ended (epoch ms).
 */
const attacker = `
import http from 'node:http';
const [origin, token] = process.argv.slice(1);
const ids = Array.from({ length: 200000 }, (_, i) => 'i-' + i.toString(16).padStart(17, '0'));
const body = Buffer.from(JSON.stringify({ j: { InstanceIds: ids } }));
const send = () => new Promise((resolve) => {
  const req = http.request(origin + '/trpc/ec2.describeInstances', { method: 'POST', agent: false, headers: {
    'content-type': 'application/json', 'content-length': body.byteLength, authorization: 'Bearer ' + token } },
    (res) => { let text = ''; res.on('data', (d) => { text += d; }); res.on('end', () => resolve({ status: res.statusCode, text })); });
  // The gateway answers 413 and closes without reading the body: the write may fail after that.
  req.on('error', (e) => resolve({ status: -1, text: e.code }));
  req.end(body);
});
const now = () => performance.timeOrigin + performance.now();
const from = now();
const answers = await Promise.all(Array.from({ length: 10 }, send));
const to = now();
process.stdout.write(JSON.stringify({ bytes: body.byteLength, answers, from, to }) + '\\n');
`;

/**
 * /healthz, one request after the other on a kept-alive connection (as a load balancer's checker
 * does), from its own process, until its stdin closes; then one JSON line of [start (epoch ms),
 * latency (ms)] pairs. Bounded: at most 20,000 probes.
 */
const prober = `
import http from 'node:http';
const [origin] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const probe = () => new Promise((resolve, reject) => {
  const t = performance.now();
  http.get(origin + '/healthz', { agent }, (res) => { res.resume(); res.on('end', () => resolve([performance.timeOrigin + t, performance.now() - t])); }).on('error', reject);
});
let stop = false;
process.stdin.on('data', () => {});
process.stdin.on('end', () => { stop = true; });
await probe();
process.stdout.write('ready\\n');
const probes = [];
for (let i = 0; i < 20000 && !stop; i++) probes.push(await probe());
agent.destroy();
process.stdout.write(JSON.stringify(probes) + '\\n');
`;

/** Runs a script in its own Node process; `out` collects its stdout. */
function node(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const run = { child, out: '', exited: once(child, 'exit').then(([code]) => code as number | null) };
  child.stdout.on('data', (d: Buffer) => {
    run.out += d.toString();
  });
  return run;
}

/** Peak resident memory of a process, from Linux's /proc (VmHWM), in MiB; undefined elsewhere. */
function peakRssMiB(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Attack {
  bytes: number;
  answers: { status: number; text: string }[];
  from: number;
  to: number;
  /** Latencies (ms) of the /healthz probes sent while the attack ran. */
  during: number[];
}

/** One attack with /healthz probed beside it, each in its own process. */
async function attackOnce(): Promise<Attack> {
  const probes = node(prober, [origin]);
  // Bounded wait for the prober's first answer (it exits on failure, ending the wait too).
  for (let i = 0; i < 1_000 && !probes.out.includes('ready') && probes.child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(probes.out).toContain('ready');
  const attack = node(attacker, [origin, token]);
  attack.child.stdin.end();
  expect(await attack.exited).toBe(0);
  probes.child.stdin.end();
  expect(await probes.exited).toBe(0);
  const probed = JSON.parse(probes.out.slice(probes.out.indexOf('\n') + 1)) as [number, number][];
  const result = JSON.parse(attack.out) as Omit<Attack, 'during'>;
  const during = probed.filter(([at]) => at >= result.from && at <= result.to).map(([, ms]) => ms);
  return { ...result, during };
}

describe('input flood (F3)', () => {
  it('refuses ten concurrent 200,000-id inputs quickly, /healthz stays under 50 ms, memory stays bounded', async () => {
    emulator.control.requests.clear();
    // A real clock on a shared 2-core machine: the rest of the suite can delay one probe by itself. So
    // up to three attacks (bounded); each must be refused in full and never stall /healthz near the
    // 4.5 s of the issue, and one at least must keep every probe under 50 ms.
    const worsts: number[] = [];
    for (let attempt = 0; attempt < 3 && !worsts.some((w) => w < 50); attempt++) {
      const result = await attackOnce();
      expect(result.bytes).toBeGreaterThan(4_400_000);
      const statuses = result.answers.map((a) => a.status);
      expect(statuses).toHaveLength(10);
      // Every call refused: 413 from the declared length (or the write cut off by the closed connection).
      expect(statuses.every((s) => s === 413 || s === -1)).toBe(true);
      const refused = result.answers.find((a) => a.status === 413);
      expect(refused?.text).toContain(
        `request body of ${result.bytes} bytes exceeds the limit of 2097152 bytes`,
      );
      expect(refused?.text).toContain('PAYLOAD_TOO_LARGE');
      expect(result.to - result.from).toBeLessThan(5_000);
      expect(result.during.length).toBeGreaterThan(0);
      const sorted = result.during.slice().sort((a, b) => a - b);
      const worst = sorted.at(-1)!;
      worsts.push(worst);
      console.info(
        `flood ${attempt + 1}: ${statuses.join(',')} in ${(result.to - result.from).toFixed(0)} ms; /healthz ${sorted.length} probes during it, p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, worst ${worst.toFixed(1)} ms`,
      );
      expect(worst).toBeLessThan(1_000);
    }
    expect(Math.min(...worsts)).toBeLessThan(50);
    expect(emulator.control.requests.count()).toBe(0);

    // The bodies were never read: the gateway stays at its resting size, far from the 1.13 GB of the issue.
    const rss = peakRssMiB(gateway.pid!);
    console.info(`flood: gateway peak RSS ${rss?.toFixed(0)} MiB`);
    if (rss !== undefined) expect(rss).toBeLessThan(400);
    // And it still serves its token.
    const ok = await fetch(`${origin}/trpc/ec2.describeVpcs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"j":{}}',
    });
    expect(ok.status).toBe(200);
  }, 60_000);
});
