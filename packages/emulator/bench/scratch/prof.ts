import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startEmulator } from '../../src/index';
const emu = await startEmulator({ clock: 'virtual' });
const ec2 = new EC2Client({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
for (let i = 0; i < 10; i++) await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0453ec754f44f9a4a', InstanceType: 't3.micro', MinCount: 100, MaxCount: 100, Placement: { AvailabilityZone: `us-east-1${'abc'[i % 3]}` }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: i === 0 ? 'blue' : 'red' }] }] }));
emu.clock.advance(60000);
const raw = async () => { const r = await fetch(`${emu.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: 'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0' }, body: 'Action=DescribeInstances&Version=2016-11-15&MaxResults=1000' }); return r.text(); };
const xml = await raw();
console.log('xml bytes', xml.length, 'per instance', xml.length / 1000);
if (process.argv.includes('--dump')) { const { writeFileSync } = await import('node:fs'); writeFileSync('/tmp/di.xml', xml); }
async function time(name: string, n: number, f: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); await f(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b); console.log(name, 'median', t[t.length >> 1]!.toFixed(2), 'min', t[0]!.toFixed(2));
}
const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'raw') await time('raw', 20, raw);
if (which === 'all' || which === 'sdk') await time('sdk', 20, () => ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 })));
if (which === 'all' || which === 'tag') await time('tag', 20, () => ec2.send(new DescribeInstancesCommand({ MaxResults: 1000, Filters: [{ Name: 'tag:team', Values: ['blue'] }] })));
const out = await ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 }));
const one = out.Reservations![3]!.Instances![0]!.InstanceId!;
if (which === 'all' || which === 'id') await time("byid", 20000, () => ec2.send(new DescribeInstancesCommand({ InstanceIds: [one] })));
ec2.destroy(); await emu.close();
