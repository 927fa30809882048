import type { DescribeInstancesCommandOutput, Instance } from '@aws-sdk/client-ec2';

/**
 * A DescribeInstances output of `count` instances, shaped like real EC2 answers (dates at several
 * depths, tags, network interfaces, block devices), for the transformer measurement and round trips.
 */
export function describeInstancesOutput(count: number): DescribeInstancesCommandOutput {
  const base = Date.UTC(2026, 0, 1);
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const id = `i-${i.toString(16).padStart(17, '0')}`;
    const at = new Date(base + i * 1_000);
    instances.push({
      InstanceId: id,
      ImageId: 'ami-0abcdef1234567890',
      InstanceType: 't3.micro',
      KeyName: 'demo',
      LaunchTime: at,
      UsageOperationUpdateTime: at,
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default', GroupName: '' },
      PrivateDnsName: `ip-10-0-${i % 256}-${(i >> 8) % 256}.ec2.internal`,
      PrivateIpAddress: `10.0.${i % 256}.${(i >> 8) % 256}`,
      PublicDnsName: '',
      State: { Code: 16, Name: 'running' },
      StateTransitionReason: '',
      SubnetId: 'subnet-0123456789abcdef0',
      VpcId: 'vpc-0123456789abcdef0',
      Architecture: 'x86_64',
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { AttachTime: at, DeleteOnTermination: true, Status: 'attached', VolumeId: `vol-${i}` },
        },
      ],
      NetworkInterfaces: [
        {
          Attachment: {
            AttachTime: at,
            AttachmentId: `eni-attach-${i}`,
            DeleteOnTermination: true,
            DeviceIndex: 0,
            Status: 'attached',
          },
          Description: '',
          Groups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: 'default' }],
          MacAddress: '02:00:00:00:00:00',
          NetworkInterfaceId: `eni-${i}`,
          OwnerId: '123456789012',
          PrivateIpAddress: `10.0.${i % 256}.${(i >> 8) % 256}`,
          SourceDestCheck: true,
          Status: 'in-use',
          SubnetId: 'subnet-0123456789abcdef0',
          VpcId: 'vpc-0123456789abcdef0',
        },
      ],
      SecurityGroups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: 'default' }],
      Tags: [
        { Key: 'Name', Value: `web-${i}` },
        { Key: 'env', Value: 'test' },
      ],
      Monitoring: { State: 'disabled' },
      EbsOptimized: false,
      EnaSupport: true,
      Hypervisor: 'xen',
      VirtualizationType: 'hvm',
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
      MetadataOptions: {
        State: 'applied',
        HttpTokens: 'required',
        HttpPutResponseHopLimit: 2,
        HttpEndpoint: 'enabled',
      },
    });
  }
  return {
    $metadata: { httpStatusCode: 200, requestId: 'fixture', attempts: 1, totalRetryDelay: 0 },
    Reservations: [
      { ReservationId: 'r-0123456789abcdef0', OwnerId: '123456789012', Groups: [], Instances: instances },
    ],
  };
}
