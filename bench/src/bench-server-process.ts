/**
 * The server side of the overhead and batching suites, in processes of their own so that the caller,
 * the gateway and "AWS" do not share one event loop (in production they do not share a machine):
 * - `--role upstream --seed region=n,...`: the emulator (virtual clock, seeded, every instance running)
 *   and a bare node:http server answering a fixed small JSON, the floor;
 * - `--role gateway --endpoint url`: a gateway whose SDK clients call that emulator.
 * Each sends its URLs to the parent over IPC and stays up until the parent disconnects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startEmulator } from '@aws-trpc/emulator';
import { startStack } from '@aws-trpc/testkit';
import { benchCredentials, benchImageId, type ServerUrls } from './bench-servers';

const bareBody = JSON.stringify({ result: { data: { j: { ok: true } } } });

function startBareServer(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(bareBody),
      });
      res.end(bareBody);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

async function seed(endpoint: string, region: string, count: number): Promise<string[]> {
  const ec2 = new EC2Client({ endpoint, region, credentials: benchCredentials });
  const ids: string[] = [];
  for (let done = 0; done < count; done += 100) {
    const n = Math.min(100, count - done);
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: benchImageId,
        InstanceType: 't3.micro',
        MinCount: n,
        MaxCount: n,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'bench', Value: String(done) }] }],
      }),
    );
    for (const instance of out.Instances ?? []) ids.push(instance.InstanceId!);
  }
  ec2.destroy();
  return ids;
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? '') : '';
}

async function startUpstream(): Promise<{ urls: Partial<ServerUrls>; close(): Promise<void> }> {
  const emulator = await startEmulator({ clock: 'virtual' });
  const bare = await startBareServer();
  const ids: Record<string, string[]> = {};
  for (const pair of arg('seed').split(',').filter(Boolean)) {
    const [region, n] = pair.split('=');
    ids[region!] = await seed(emulator.url, region!, Number(n));
  }
  emulator.clock.advance(10 * 60_000); // every seeded instance is running
  return {
    urls: { emulator: emulator.url, bare: bare.url, ids },
    async close() {
      bare.server.close();
      await emulator.close();
    },
  };
}

async function startGatewayRole(): Promise<{ urls: Partial<ServerUrls>; close(): Promise<void> }> {
  // The default limit (50 calls/s per token) would measure the limiter, not the gateway: an operator
  // sizing a gateway for a service raises it the same way.
  const stack = await startStack({
    upstream: { endpoint: arg('endpoint'), credentials: benchCredentials },
    security: { rateLimit: { requestsPerSecond: 1e9, burst: 1e9 }, http: { maxBatchSize: 100 } },
  });
  return { urls: { gateway: stack.url }, close: () => stack.close() };
}

async function main() {
  const role = arg('role');
  const started = role === 'gateway' ? await startGatewayRole() : await startUpstream();
  process.send?.(started.urls);
  process.on('disconnect', async () => {
    await started.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
