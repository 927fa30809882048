import type {
  CreateFlowLogsCommandInput,
  CreateFlowLogsCommandOutput,
  DeleteFlowLogsCommandInput,
  DeleteFlowLogsCommandOutput,
  DescribeFlowLogsCommandInput,
  DescribeFlowLogsCommandOutput,
  FlowLog,
  LogDestinationType,
  TrafficType,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  checkDryRun,
  idErrors,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { isWellFormedId } from './ids';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { onSubnetDeleted, subnets } from './subnets';
import { tgwAttachments } from './transit-gateway-attachments';
import { transitGateways } from './transit-gateways';
import { onVpcDeleted, vpcs } from './vpcs';

/**
 * Flow logs on VPCs, subnets, network interfaces and transit gateways. The emulator captures no
 * traffic; it keeps the configuration and reports delivery as AWS does for a healthy destination.
 * A resource that does not exist is reported in Unsuccessful, per resource, as AWS does.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
 */
export interface FlowLogRecord extends ResourceRecord {
  resourceId: string;
  trafficType?: TrafficType | undefined;
  destinationType: LogDestinationType;
  destination?: string | undefined;
  logGroupName?: string | undefined;
  permissionArn?: string | undefined;
  format: string;
  maxAggregationInterval: number;
  created: number;
}

/** AWS's default record format: the version 2 fields, each written as ${field}. */
const DEFAULT_FORMAT = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
]
  .map((f) => '$' + '{' + f + '}')
  .join(' ');

export const flowLogs = defineFamily<FlowLogRecord, FlowLog>({
  prefix: 'fl',
  resourceType: 'vpc-flow-log',
  errors: idErrors({
    notFound: 'InvalidFlowLogId.NotFound',
    malformed: 'InvalidFlowLogId.Malformed',
    noun: 'flowLog',
    prefix: 'fl',
    notFoundMessage: (ids) =>
      `These flow log ids in the input list are not found: [TotalCount: ${ids.length}] ${ids.join(', ')}`,
  }),
  shape: (f, view) => ({
    FlowLogId: f.id,
    ResourceId: f.resourceId,
    TrafficType: f.trafficType,
    LogDestinationType: f.destinationType,
    LogDestination: f.destination,
    LogGroupName: f.logGroupName,
    DeliverLogsPermissionArn: f.permissionArn,
    DeliverLogsStatus: 'SUCCESS',
    FlowLogStatus: 'ACTIVE',
    LogFormat: f.format,
    MaxAggregationInterval: f.maxAggregationInterval,
    CreationTime: new Date(f.created),
    Tags: view.tags(f.id),
  }),
  filters: () => ({
    'flow-log-id': (f) => f.id,
    'resource-id': (f) => f.resourceId,
    'traffic-type': (f) => f.trafficType,
    'log-destination-type': (f) => f.destinationType,
    'log-group-name': (f) => f.logGroupName,
    'deliver-log-status': () => 'SUCCESS',
  }),
});

/** Whether a resource of the given type exists; unknown ones are reported, not raised. */
function exists(scope: Scope, type: string, id: string): boolean {
  const family =
    type === 'VPC'
      ? vpcs
      : type === 'Subnet'
        ? subnets
        : type === 'TransitGateway'
          ? transitGateways
          : type === 'TransitGatewayAttachment'
            ? tgwAttachments
            : undefined;
  if (family) return isWellFormedId(family.prefix, id) && family.find(scope, id) !== undefined;
  // Network interfaces are another family's; an interface id of the right shape is taken on trust.
  return type === 'NetworkInterface' && isWellFormedId('eni', id);
}

const create: Handler<CreateFlowLogsCommandInput, Out<CreateFlowLogsCommandOutput>> = (input, ctx) => {
  if (!input.ResourceIds?.length) throw missingParameter('ResourceId');
  const type = input.ResourceType;
  if (!type) throw missingParameter('ResourceType');
  if (!['VPC', 'Subnet', 'NetworkInterface', 'TransitGateway', 'TransitGatewayAttachment'].includes(type))
    throw invalidParameterValue(`Value (${type}) for parameter resourceType is invalid.`);
  const transit = type === 'TransitGateway' || type === 'TransitGatewayAttachment';
  if (transit && input.TrafficType)
    throw invalidParameterCombination('TrafficType is not supported for transit gateway flow logs.');
  if (!transit && !input.TrafficType) throw missingParameter('TrafficType');
  const destinationType = input.LogDestinationType ?? 'cloud-watch-logs';
  if (destinationType === 'cloud-watch-logs') {
    if (!input.LogGroupName && !input.LogDestination) throw missingParameter('LogGroupName');
    if (!input.DeliverLogsPermissionArn) throw missingParameter('DeliverLogsPermissionArn');
  } else if (destinationType === 's3' || destinationType === 'kinesis-data-firehose') {
    if (!input.LogDestination) throw missingParameter('LogDestination');
    if (!input.LogDestination.startsWith('arn:'))
      throw invalidParameterValue(`LogDestination: ${input.LogDestination} is not a valid ARN.`);
  } else
    throw invalidParameterValue(`Value (${destinationType}) for parameter logDestinationType is invalid.`);
  const interval = input.MaxAggregationInterval ?? 600;
  if (interval !== 60 && interval !== 600)
    throw invalidParameterValue(`Value (${interval}) for parameter maxAggregationInterval is invalid.`);
  const same = (f: FlowLogRecord, id: string) =>
    f.resourceId === id &&
    f.trafficType === input.TrafficType &&
    f.destinationType === destinationType &&
    (f.destination ?? f.logGroupName) === (input.LogDestination ?? input.LogGroupName);
  const Unsuccessful: UnsuccessfulItem[] = [];
  const wanted: string[] = [];
  for (const id of input.ResourceIds) {
    if (!exists(ctx, type, id)) {
      Unsuccessful.push({
        ResourceId: id,
        Error: { Code: 'InvalidParameter', Message: `Resource ${id} does not exist` },
      });
    } else if (flowLogs.list(ctx).some((f) => same(f, id))) {
      Unsuccessful.push({
        ResourceId: id,
        Error: {
          Code: 'FlowLogAlreadyExists',
          Message: 'Error. There is an existing Flow Log with the same configuration and log destination.',
        },
      });
    } else wanted.push(id);
  }
  checkDryRun(input);
  const FlowLogIds = wanted.map(
    (resourceId) =>
      flowLogs.create(ctx, input, () => ({
        resourceId,
        trafficType: input.TrafficType,
        destinationType,
        destination: input.LogDestination,
        logGroupName: input.LogGroupName,
        permissionArn: input.DeliverLogsPermissionArn,
        format: input.LogFormat ?? DEFAULT_FORMAT,
        maxAggregationInterval: interval,
        created: ctx.clock.now(),
      })).id,
  );
  return { FlowLogIds, Unsuccessful, ClientToken: input.ClientToken };
};

const remove: Handler<DeleteFlowLogsCommandInput, Out<DeleteFlowLogsCommandOutput>> = (input, ctx) => {
  if (!input.FlowLogIds?.length) throw missingParameter('FlowLogId');
  for (const id of input.FlowLogIds) if (!isWellFormedId('fl', id)) throw flowLogs.spec.errors.malformed(id);
  checkDryRun(input);
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of input.FlowLogIds) {
    const f = flowLogs.find(ctx, id);
    if (f) flowLogs.remove(ctx.region, f);
    else
      Unsuccessful.push({
        ResourceId: id,
        Error: { Code: 'InvalidFlowLogId.NotFound', Message: `Flow log ${id} does not exist` },
      });
  }
  return { Unsuccessful };
};

// A VPC's or subnet's flow logs go with it (AWS deletes them with the resource).
const dropFor = (scope: Scope, resourceId: string) => {
  for (const f of flowLogs.list(scope)) if (f.resourceId === resourceId) flowLogs.remove(scope.region, f);
};
onVpcDeleted((scope, vpc) => dropFor(scope, vpc.id));
onSubnetDeleted((scope, subnet) => dropFor(scope, subnet.id));

export const flowLogHandlers: HandlerMap = {
  CreateFlowLogs: create,
  DeleteFlowLogs: remove,
  DescribeFlowLogs: flowLogs.describeHandler(
    (i: DescribeFlowLogsCommandInput) => i.FlowLogIds,
    'FlowLogs',
  ) satisfies Handler<DescribeFlowLogsCommandInput, Out<DescribeFlowLogsCommandOutput>>,
};
