/**
 * The server side of the overhead and batching suites, in a process of its own so that the caller's
 * work and the servers' work do not share one event loop: an emulator (virtual clock), a gateway in
 * front of it (as `aws-trpc serve --emulator` runs them, in one process), and a bare node:http server
 * answering a fixed small JSON, the floor. Seeds each region with `--seed region=n,...` instances, then
 * sends its URLs to the parent over IPC and stays up until the parent disconnects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { createGateway } from '@aws-trpc/api';
import { startEmulator } from '@aws-trpc/emulator';
import { createObservability } from '../packages/api/src/observability/observability';
import { createSecurity } from '../packages/api/src/security/security';
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

async function main() {
  const seedArg = process.argv[process.argv.indexOf('--seed') + 1] ?? '';
  const emulator = await startEmulator({ clock: 'virtual' });
  // The default limit (50 calls/s per token) would measure the limiter, not the gateway: an operator
  // sizing a gateway for a service raises it the same way.
  const observability = createObservability({ level: 'silent' });
  const security = createSecurity(
    { rateLimit: { requestsPerSecond: 1e9, burst: 1e9 }, http: { maxBatchSize: 100 } },
    observability.logger,
  );
  const gateway = createGateway(
    { endpoint: emulator.url, credentials: benchCredentials, region: 'us-east-1' },
    { security, observability },
  );
  const { url: gatewayUrl } = await gateway.listen(0, '127.0.0.1');
  const bare = await startBareServer();

  const ids: Record<string, string[]> = {};
  for (const pair of seedArg.split(',').filter(Boolean)) {
    const [region, n] = pair.split('=');
    ids[region!] = await seed(emulator.url, region!, Number(n));
  }
  emulator.clock.advance(10 * 60_000); // every seeded instance is running

  const urls: ServerUrls = { emulator: emulator.url, gateway: gatewayUrl, bare: bare.url, ids };
  process.send?.(urls);
  process.on('disconnect', async () => {
    bare.server.close();
    await gateway.close(0);
    await emulator.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
