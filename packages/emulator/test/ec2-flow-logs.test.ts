import {
  CreateFlowLogsCommand,
  CreateVpcCommand,
  DeleteFlowLogsCommand,
  DeleteVpcCommand,
  DescribeFlowLogsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();
const ROLE = 'arn:aws:iam::123456789012:role/flow-logs';

describe('flow logs', () => {
  it('creates per resource, reports unknown resources and duplicates in Unsuccessful, and deletes', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.160.0.0/16' }))).Vpc!.VpcId!;
    const made = await t.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [VpcId, 'vpc-0123456789abcdef0'],
        TrafficType: 'ALL',
        LogGroupName: 'vpc-flows',
        DeliverLogsPermissionArn: ROLE,
      }),
    );
    expect(made.FlowLogIds).toHaveLength(1);
    expect(made.Unsuccessful!.map((u) => u.ResourceId)).toEqual(['vpc-0123456789abcdef0']);
    const id = made.FlowLogIds![0]!;
    const again = await t.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [VpcId],
        TrafficType: 'ALL',
        LogGroupName: 'vpc-flows',
        DeliverLogsPermissionArn: ROLE,
      }),
    );
    expect(again.FlowLogIds).toEqual([]);
    expect(again.Unsuccessful![0]!.Error!.Code).toBe('FlowLogAlreadyExists');
    const d = await t.ec2.send(
      new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [VpcId] }] }),
    );
    expect(d.FlowLogs).toEqual([
      expect.objectContaining({
        FlowLogId: id,
        ResourceId: VpcId,
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'vpc-flows',
        FlowLogStatus: 'ACTIVE',
        DeliverLogsStatus: 'SUCCESS',
        MaxAggregationInterval: 600,
      }),
    ]);
    const s3 = await t.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [VpcId],
        TrafficType: 'REJECT',
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::flow-bucket',
      }),
    );
    expect(s3.FlowLogIds).toHaveLength(1);
    const { Unsuccessful } = await t.ec2.send(
      new DeleteFlowLogsCommand({ FlowLogIds: [id, 'fl-0123456789abcdef0'] }),
    );
    expect(Unsuccessful!.map((u) => u.ResourceId)).toEqual(['fl-0123456789abcdef0']);
    // The VPC's remaining flow log goes with it.
    await t.ec2.send(new DeleteVpcCommand({ VpcId }));
    expect((await t.ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs).toEqual([]);
  });

  it('validates the destination before creating anything', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.161.0.0/16' }))).Vpc!.VpcId!;
    const noRole = await awsError(
      t.ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: 'VPC',
          ResourceIds: [VpcId],
          TrafficType: 'ALL',
          LogGroupName: 'g',
        }),
      ),
    );
    expect(noRole.code).toBe('MissingParameter');
    const badArn = await awsError(
      t.ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: 'VPC',
          ResourceIds: [VpcId],
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: 'bucket',
        }),
      ),
    );
    expect(badArn.code).toBe('InvalidParameterValue');
    expect((await t.ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs).toEqual([]);
  });
});
