import {
  CreateVolumeCommand,
  DisableEbsEncryptionByDefaultCommand,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyEbsDefaultKmsKeyIdCommand,
  ResetEbsDefaultKmsKeyIdCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();
const AWS_EBS = 'arn:aws:kms:us-east-1:123456789012:alias/aws/ebs';
const MY_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('EBS encryption by default', () => {
  it('is off until enabled; new volumes then use the default key', async () => {
    expect(await t.ec2.send(new GetEbsEncryptionByDefaultCommand({}))).toMatchObject({
      EbsEncryptionByDefault: false,
      SseType: 'sse-ebs',
    });
    const plain = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    expect(plain.Encrypted).toBe(false);
    expect(plain.KmsKeyId).toBeUndefined();

    const dry = await awsError(t.ec2.send(new EnableEbsEncryptionByDefaultCommand({ DryRun: true })));
    expect(dry.code).toBe('DryRunOperation');
    expect((await t.ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);

    expect((await t.ec2.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    const enc = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    expect(enc).toMatchObject({ Encrypted: true, KmsKeyId: AWS_EBS });

    expect((await t.ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(AWS_EBS);
    expect((await t.ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: MY_KEY }))).KmsKeyId).toBe(
      MY_KEY,
    );
    const mine = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    expect(mine.KmsKeyId).toBe(MY_KEY);
    const bad = await awsError(t.ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: 'not a key' })));
    expect(bad.code).toBe('InvalidParameterValue');
    expect((await t.ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(MY_KEY);

    expect((await t.ec2.send(new ResetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(AWS_EBS);
    expect((await t.ec2.send(new DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(
      false,
    );
    expect(
      (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }))).Encrypted,
    ).toBe(false);
    // A KMS key without encryption is refused.
    const keyOnly = await awsError(
      t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, KmsKeyId: MY_KEY })),
    );
    expect(keyOnly.code).toBe('InvalidParameterCombination');
  });
});
