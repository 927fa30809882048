import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';

/**
 * The compute half of a typical VPC stack, driven with the AWS CLI (botocore's own serializer and
 * parser) the way Terraform would: a launch template with two versions, an instance from it, an ENI
 * attached and detached, a volume snapshot, the DependencyViolations AWS answers, then teardown in
 * reverse order. The network half joins it when the branches meet. Skipped, saying why, without `aws`.
 */
const run = promisify(execFile);
const awsBin = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const haveAws = spawnSync(awsBin, ['--version'], { encoding: 'utf8' }).status === 0;
if (!haveAws)
  console.warn(
    'aws-cli-compute.test.ts skipped: the AWS CLI (`aws`) is not installed; apt-get install awscli',
  );

let emu: Emulator;

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
  AWS_MAX_ATTEMPTS: '1',
};

async function aws(...args: string[]): Promise<any> {
  // Async on purpose: the emulator serves from this same process.
  const { stdout } = await run(awsBin, ['--endpoint-url', emu.url, '--output', 'json', 'ec2', ...args], {
    env,
    timeout: 60_000,
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** The error code of a call that must fail, from the CLI's "An error occurred (Code) when calling …". */
async function awsError(...args: string[]): Promise<string> {
  try {
    await aws(...args);
  } catch (e) {
    const m = /An error occurred \(([^)]+)\)/.exec((e as { stderr?: string }).stderr ?? '');
    if (m) return m[1]!;
    throw e;
  }
  throw new Error(`expected aws ec2 ${args[0]} to fail`);
}

describe.skipIf(!haveAws)('the AWS CLI: the compute half of a VPC stack', () => {
  beforeAll(async () => {
    emu = await startEmulator({ clock: 'virtual', delays: { pending: 5_000, shuttingDown: 5_000 } });
  });
  afterAll(() => emu?.close());

  it('launch template → instance → ENI → snapshot, the DependencyViolations, then teardown', {
    timeout: 240_000,
  }, async () => {
    // Each CLI call starts a Python process: calls that do not depend on each other run together.
    const [vpcOut, ltOut] = await Promise.all([
      aws('create-vpc', '--cidr-block', '10.40.0.0/16'),
      aws(
        'create-launch-template',
        '--launch-template-name',
        'web',
        '--version-description',
        'v1',
        '--launch-template-data',
        JSON.stringify({
          ImageId: 'ami-0453ec754f44f9a4a',
          InstanceType: 't3.micro',
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
        }),
      ),
    ]);
    const vpc = vpcOut.Vpc.VpcId as string;
    const lt = ltOut.LaunchTemplate.LaunchTemplateId as string;
    const [subnetOut, sgOut] = await Promise.all([
      aws(
        'create-subnet',
        '--vpc-id',
        vpc,
        '--cidr-block',
        '10.40.1.0/24',
        '--availability-zone',
        'us-east-1a',
      ),
      aws('create-security-group', '--group-name', 'web', '--description', 'web', '--vpc-id', vpc),
    ]);
    const subnet = subnetOut.Subnet.SubnetId as string;
    const sg = sgOut.GroupId as string;

    // The second version (from the first, with a bigger type and the group) becomes the default; an ENI.
    const [v2, eniOut] = await Promise.all([
      aws(
        'create-launch-template-version',
        '--launch-template-id',
        lt,
        '--source-version',
        '1',
        '--version-description',
        'v2',
        '--launch-template-data',
        JSON.stringify({ InstanceType: 't3.small', SecurityGroupIds: [sg] }),
      ),
      aws('create-network-interface', '--subnet-id', subnet, '--groups', sg, '--description', 'sidecar'),
    ]);
    expect(v2.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 2,
      LaunchTemplateData: { ImageId: 'ami-0453ec754f44f9a4a', InstanceType: 't3.small' },
    });
    const eni = eniOut.NetworkInterface.NetworkInterfaceId as string;
    const modified = await aws(
      'modify-launch-template',
      '--launch-template-id',
      lt,
      '--default-version',
      '2',
    );
    expect(modified.LaunchTemplate).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });

    // An instance from the default version, in the subnet.
    const ran = await aws(
      'run-instances',
      '--launch-template',
      `LaunchTemplateId=${lt}`,
      '--subnet-id',
      subnet,
      '--count',
      '1',
    );
    const instance = ran.Instances[0];
    const iid = instance.InstanceId as string;
    expect(instance).toMatchObject({
      InstanceType: 't3.small',
      SubnetId: subnet,
      VpcId: vpc,
      SecurityGroups: [{ GroupId: sg }],
    });
    expect(instance.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: 'web' },
        { Key: 'aws:ec2launchtemplate:id', Value: lt },
        { Key: 'aws:ec2launchtemplate:version', Value: '2' },
      ]),
    );
    const volume = instance.BlockDeviceMappings[0].Ebs.VolumeId as string;
    emu.clock.advance(5_000);

    // The ENI attached at device index 1; a snapshot of the root volume, pending on the clock.
    const [attached, snap] = await Promise.all([
      aws(
        'attach-network-interface',
        '--network-interface-id',
        eni,
        '--instance-id',
        iid,
        '--device-index',
        '1',
      ),
      aws(
        'create-snapshot',
        '--volume-id',
        volume,
        '--tag-specifications',
        'ResourceType=snapshot,Tags=[{Key=Name,Value=root}]',
      ),
    ]);
    expect(snap).toMatchObject({ State: 'pending', VolumeId: volume });

    // What AWS refuses while things depend on each other; none of it changes anything.
    const [described, ...refused] = await Promise.all([
      aws('describe-instances', '--instance-ids', iid),
      awsError('delete-network-interface', '--network-interface-id', eni),
      awsError('delete-subnet', '--subnet-id', subnet),
      awsError('delete-vpc', '--vpc-id', vpc),
      awsError('delete-security-group', '--group-id', sg),
    ]);
    expect(refused).toEqual([
      'InvalidNetworkInterface.InUse',
      'DependencyViolation',
      'DependencyViolation',
      'DependencyViolation',
    ]);
    const nics = described.Reservations[0].Instances[0].NetworkInterfaces;
    expect(
      nics.map((n: { NetworkInterfaceId: string; Attachment: { DeviceIndex: number } }) => [
        n.Attachment.DeviceIndex,
        n.NetworkInterfaceId === eni,
      ]),
    ).toEqual([
      [0, false],
      [1, true],
    ]);

    await aws('detach-network-interface', '--attachment-id', attached.AttachmentId);
    emu.clock.advance(5_000);
    const [eniAfter, snaps] = await Promise.all([
      aws('describe-network-interfaces', '--network-interface-ids', eni),
      aws('describe-snapshots', '--owner-ids', 'self', '--filters', 'Name=tag:Name,Values=root'),
    ]);
    expect(eniAfter.NetworkInterfaces[0]).toMatchObject({ Status: 'available' });
    expect(eniAfter.NetworkInterfaces[0].Attachment).toBeUndefined();
    expect(
      snaps.Snapshots.map((s: { SnapshotId: string; State: string; Progress: string }) => [
        s.SnapshotId,
        s.State,
        s.Progress,
      ]),
    ).toEqual([[snap.SnapshotId, 'completed', '100%']]);

    // Teardown in reverse order; the VPC goes last, once nothing depends on it.
    await Promise.all([
      aws('delete-snapshot', '--snapshot-id', snap.SnapshotId),
      aws('terminate-instances', '--instance-ids', iid),
    ]);
    emu.clock.advance(5_000);
    await Promise.all([
      aws('delete-network-interface', '--network-interface-id', eni),
      aws('delete-launch-template', '--launch-template-id', lt),
    ]);
    await Promise.all([
      aws('delete-subnet', '--subnet-id', subnet),
      aws('delete-security-group', '--group-id', sg),
    ]);
    await aws('delete-vpc', '--vpc-id', vpc);
  });
});
