import { virtualClock } from '../../src/core/clock';
import { defaultDelays, Region, type RequestContext } from '../../src/core/types';
import { ec2Handlers } from '../../src/services/ec2';
import { ec2Protocol } from '../../src/protocol/serviceProtocol';
import { serializeOutput as concatSer } from '../../src/protocol/xmlOutput';
import { serializeOutput as pushSer } from './xmlOutputPush';
import { serializeOutput as oldSer } from './xmlOutputOld';
const clock = virtualClock();
const region = new Region('us-east-1', '123456789012');
const ctx = (action: string): RequestContext => ({ service: 'ec2', action, region, requestId: 'r', clock, delays: { ...defaultDelays } });
for (let i = 0; i < 10; i++) await ec2Handlers.RunInstances!({ ImageId: 'ami-0453ec754f44f9a4a', InstanceType: 't3.micro', MinCount: 100, MaxCount: 100, ClientToken: `tok${i}`, Placement: { AvailabilityZone: `us-east-1${'abc'[i % 3]}` }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: i === 0 ? 'blue' : 'red' }] }] }, ctx('RunInstances'));
clock.advance(60000);
const op = ec2Protocol.operation('DescribeInstances')!;
const fns = { old: oldSer, concat: concatSer, push: pushSer };
const times: Record<string, number[]> = { old: [], concat: [], push: [] };
for (let r = 0; r < 60; r++) for (const [k, f] of Object.entries(fns)) {
  const out = await ec2Handlers.DescribeInstances!({ MaxResults: 1000 }, ctx('DescribeInstances'));
  const t0 = performance.now(); Buffer.from(f(ec2Protocol, op, out, 'r')); if (r >= 5) times[k]!.push(performance.now() - t0);
}
for (const [k, t] of Object.entries(times)) { t.sort((a, b) => a - b); console.log(k.padEnd(8), 'median', t[t.length >> 1]!.toFixed(2), 'p25', t[t.length >> 2]!.toFixed(2), 'min', t[0]!.toFixed(2)); }
