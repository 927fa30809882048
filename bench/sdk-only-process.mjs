/**
 * The cold-start baseline: a process that only imports the two SDK clients and creates them. Plain
 * Node, no tsx: what a service calling AWS directly pays. The modules are resolved from
 * packages/client, where they are installed. Prints `ready`, then lives until stdin closes.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../packages/client/package.json', import.meta.url));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const [{ EC2Client }, { ElasticLoadBalancingClient }] = await Promise.all([
  load('@aws-sdk/client-ec2'),
  load('@aws-sdk/client-elastic-load-balancing'),
]);
const credentials = { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench-secret' };
const clients = [
  new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials }),
  new ElasticLoadBalancingClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials }),
];
process.stdout.write(`ready ${clients.length}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
