import {
  AllocateAddressCommand,
  DescribeAddressesAttributeCommand,
  ModifyAddressAttributeCommand,
  ResetAddressAttributeCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('Elastic IP address attributes', () => {
  it('reads, sets and resets the reverse DNS record', async () => {
    const { AllocationId, PublicIp } = await t.ec2.send(new AllocateAddressCommand({}));
    const read = async () =>
      (
        await t.ec2.send(
          new DescribeAddressesAttributeCommand({ AllocationIds: [AllocationId!], Attribute: 'domain-name' }),
        )
      ).Addresses![0]!;
    expect(await read()).toEqual({
      AllocationId,
      PublicIp,
      PtrRecord: `ec2-${PublicIp!.replace(/\./g, '-')}.compute-1.amazonaws.com.`,
    });
    const set = await t.ec2.send(
      new ModifyAddressAttributeCommand({ AllocationId, DomainName: 'mail.example.com' }),
    );
    expect(set.Address!.PtrRecordUpdate).toEqual({ Value: 'mail.example.com.', Status: 'PENDING' });
    expect((await read()).PtrRecord).toBe('mail.example.com.');
    const bad = await awsError(
      t.ec2.send(new ModifyAddressAttributeCommand({ AllocationId, DomainName: 'not a name' })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    expect((await read()).PtrRecord).toBe('mail.example.com.');
    await t.ec2.send(new ResetAddressAttributeCommand({ AllocationId, Attribute: 'domain-name' }));
    expect((await read()).PtrRecord).toMatch(/compute-1\.amazonaws\.com\.$/);
    const missing = await awsError(
      t.ec2.send(
        new ModifyAddressAttributeCommand({
          AllocationId: 'eipalloc-0123456789abcdef0',
          DomainName: 'a.example.com',
        }),
      ),
    );
    expect(missing.code).toBe('InvalidAllocationID.NotFound');
  });
});
