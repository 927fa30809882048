/**
 * The cold-start baseline: a process that only imports the two SDK clients and creates them. Plain
 * Node, no tsx: what a service calling AWS directly pays. Prints `ready`, then lives until stdin closes.
 */
const [{ EC2Client }, { ElasticLoadBalancingClient }] = await Promise.all([
  import('@aws-sdk/client-ec2'),
  import('@aws-sdk/client-elastic-load-balancing'),
]);
const credentials = { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench-secret' };
const clients = [
  new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials }),
  new ElasticLoadBalancingClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials }),
];
process.stdout.write(`ready ${clients.length}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
