import {
  DisableSerialConsoleAccessCommand,
  EnableSerialConsoleAccessCommand,
  GetSerialConsoleAccessStatusCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('serial console access', () => {
  it('is off until enabled, per account and region', async () => {
    const status = async () =>
      (await t.ec2.send(new GetSerialConsoleAccessStatusCommand({}))).SerialConsoleAccessEnabled;
    expect(await status()).toBe(false);
    expect((await awsError(t.ec2.send(new EnableSerialConsoleAccessCommand({ DryRun: true })))).code).toBe(
      'DryRunOperation',
    );
    expect(await status()).toBe(false);
    expect((await t.ec2.send(new EnableSerialConsoleAccessCommand({}))).SerialConsoleAccessEnabled).toBe(
      true,
    );
    expect(await status()).toBe(true);
    expect((await t.ec2.send(new DisableSerialConsoleAccessCommand({}))).SerialConsoleAccessEnabled).toBe(
      false,
    );
    expect(await status()).toBe(false);
  });
});
