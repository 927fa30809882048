import { ec2Protocol } from './src/protocol/serviceProtocol';
import { serializeOutput as arr } from './src/protocol/xmlOutput';
import { serializeOutput as sink } from './src/protocol/xmlOutputSink.tmp';
const op = ec2Protocol.operation('DescribeInstances')!;
const inst = (i: number) => ({ InstanceId: `i-${i.toString(16).padStart(17, '0')}`, ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro', State: { Code: 16, Name: 'running' }, PrivateDnsName: 'ip-10-0-0-1.ec2.internal', PublicDnsName: '', StateTransitionReason: '', KeyName: 'k', AmiLaunchIndex: 0, LaunchTime: new Date(), Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' }, Monitoring: { State: 'disabled' }, SubnetId: 'subnet-1', VpcId: 'vpc-1', PrivateIpAddress: '10.0.0.1', Architecture: 'x86_64', RootDeviceType: 'ebs', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-1', Status: 'attached', AttachTime: new Date(), DeleteOnTermination: true } }], SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'default' }], Tags: [{ Key: 'Name', Value: `web-${i}` }, { Key: 'env', Value: 'prod' }], EbsOptimized: false, Hypervisor: 'xen', VirtualizationType: 'hvm', SourceDestCheck: true, CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 }, MetadataOptions: { State: 'applied', HttpTokens: 'required' } });
const out = { Reservations: Array.from({ length: 100 }, (_, r) => ({ ReservationId: `r-${r}`, OwnerId: '123456789012', Groups: [], Instances: Array.from({ length: 100 }, (_, i) => inst(r * 100 + i)) })) };
if (arr(ec2Protocol, op, out, 'id') !== sink(ec2Protocol, op, out, 'id')) throw new Error('differ');
for (let k = 0; k < 6; k++) {
  let t = performance.now(); arr(ec2Protocol, op, out, 'id'); const a = performance.now() - t;
  t = performance.now(); sink(ec2Protocol, op, out, 'id'); const b = performance.now() - t;
  t = performance.now(); JSON.stringify(out); const c = performance.now() - t;
  console.log('array', a.toFixed(0), 'sink', b.toFixed(0), 'json', c.toFixed(0));
}
