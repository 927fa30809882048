import { virtualClock } from '../../src/core/clock';
import { defaultDelays, Region, type RequestContext } from '../../src/core/types';
import { ec2Handlers } from '../../src/services/ec2';
import { ec2Protocol } from '../../src/protocol/serviceProtocol';
import { serializeOutput } from '../../src/protocol/xmlOutput';
import { parseQueryInput } from '../../src/protocol/queryInput';
const clock = virtualClock();
const region = new Region('us-east-1', '123456789012');
const ctx = (action: string): RequestContext => ({ service: 'ec2', action, region, requestId: 'r', clock, delays: { ...defaultDelays } });
for (let i = 0; i < 10; i++) await ec2Handlers.RunInstances!({ ImageId: 'ami-0453ec754f44f9a4a', InstanceType: 't3.micro', MinCount: 100, MaxCount: 100, ClientToken: `tok${i}`, Placement: { AvailabilityZone: `us-east-1${'abc'[i % 3]}` }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: i === 0 ? 'blue' : 'red' }] }] }, ctx('RunInstances'));
clock.advance(60000);
const op = ec2Protocol.operation('DescribeInstances')!;
async function time(name: string, n: number, f: () => unknown) {
  for (let i = 0; i < 5; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); await f(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b); console.log(name.padEnd(12), 'median', t[t.length >> 1]!.toFixed(2), 'min', t[0]!.toFixed(2));
}
const out = await ec2Handlers.DescribeInstances!({ MaxResults: 1000 }, ctx('DescribeInstances'));
await time('handler', 30, () => ec2Handlers.DescribeInstances!({ MaxResults: 1000 }, ctx('DescribeInstances')));
await time('serialize', 30, () => serializeOutput(ec2Protocol, op, out, 'r'));
await time('both', 30, async () => serializeOutput(ec2Protocol, op, await ec2Handlers.DescribeInstances!({ MaxResults: 1000 }, ctx('DescribeInstances')), 'r'));
const xml = serializeOutput(ec2Protocol, op, out, 'r');
await time('toBuffer', 30, () => Buffer.from(xml));
await time('tagfilter', 30, async () => serializeOutput(ec2Protocol, op, await ec2Handlers.DescribeInstances!({ MaxResults: 1000, Filters: [{ Name: 'tag:team', Values: ['blue'] }] }, ctx('DescribeInstances')), 'r'));
const params = new URLSearchParams('Action=DescribeInstances&Version=2016-11-15&InstanceId.1=' + (out as any).Reservations[3].Instances[0].InstanceId);
await time('parse-id', 300, () => parseQueryInput(ec2Protocol, op, params));
await time('byid', 300, async () => serializeOutput(ec2Protocol, op, await ec2Handlers.DescribeInstances!(parseQueryInput(ec2Protocol, op, params), ctx('DescribeInstances')), 'r'));
const { serializeOutput: oldSer } = await import('./xmlOutputOld');
await time('old-ser', 30, () => oldSer(ec2Protocol, op, out, 'r'));
console.log('same', oldSer(ec2Protocol, op, out, 'r') === serializeOutput(ec2Protocol, op, out, 'r'));
await time('new-ser', 30, () => serializeOutput(ec2Protocol, op, out, 'r'));
for (let r = 0; r < 2; r++) {
await time('old+buf', 40, () => Buffer.from(oldSer(ec2Protocol, op, out, 'r')));
await time('new+buf', 40, () => Buffer.from(serializeOutput(ec2Protocol, op, out, 'r')));
}
const { serializeOutput: pushSer } = await import('./xmlOutputPush');
console.log('same', pushSer(ec2Protocol, op, out, 'r') === serializeOutput(ec2Protocol, op, out, 'r'));
for (let r = 0; r < 2; r++) {
await time('old+buf', 40, () => Buffer.from(oldSer(ec2Protocol, op, out, 'r')));
await time('new+buf', 40, () => Buffer.from(serializeOutput(ec2Protocol, op, out, 'r')));
await time('push+buf', 40, () => Buffer.from(pushSer(ec2Protocol, op, out, 'r')));
}
