import type {
  DescribeInstanceAttributeCommandInput,
  DescribeInstanceAttributeCommandOutput,
  ModifyInstanceAttributeCommandInput,
  ModifyInstanceAttributeCommandOutput,
  ResetInstanceAttributeCommandInput,
  ResetInstanceAttributeCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, incorrectInstanceState, invalidParameterValue, missingParameter } from './errors';
import type { InstanceRecord } from './instance-state';
import { instanceTypeInfo } from './instance-types';
import { resolveInstances } from './instances';
import { primaryInterfaceOf } from './network-interfaces';
import { findGroup } from './security-groups';
import { volumesOf } from './volumes';

/**
 * Describe/ModifyInstanceAttribute for the common attributes
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html).
 * Instance type, user data and EBS optimization change only while the instance is stopped.
 */

type Attribute = Out<DescribeInstanceAttributeCommandOutput>;

const describers: Record<string, (r: InstanceRecord, region: Parameters<typeof findGroup>[0]) => Attribute> =
  {
    instanceType: (r) => ({ InstanceType: { Value: r.instanceType } }),
    userData: (r) => ({ UserData: r.userData === undefined ? {} : { Value: r.userData } }),
    disableApiTermination: (r) => ({ DisableApiTermination: { Value: r.disableApiTermination } }),
    disableApiStop: (r) => ({ DisableApiStop: { Value: r.disableApiStop } }),
    instanceInitiatedShutdownBehavior: (r) => ({
      InstanceInitiatedShutdownBehavior: { Value: r.shutdownBehavior },
    }),
    sourceDestCheck: (r) => ({ SourceDestCheck: { Value: r.sourceDestCheck } }),
    ebsOptimized: (r) => ({ EbsOptimized: { Value: r.ebsOptimized } }),
    enaSupport: () => ({ EnaSupport: { Value: true } }),
    rootDeviceName: (r) => ({ RootDeviceName: { Value: r.rootDeviceName } }),
    productCodes: () => ({ ProductCodes: [] }),
    kernel: () => ({ KernelId: {} }),
    ramdisk: () => ({ RamdiskId: {} }),
    sriovNetSupport: () => ({ SriovNetSupport: { Value: 'simple' } }),
    enclaveOptions: () => ({ EnclaveOptions: { Enabled: false } }),
    groupSet: (r, region) => ({
      Groups: r.groupIds.map((id) => ({ GroupId: id, GroupName: findGroup(region, id).name })),
    }),
    blockDeviceMapping: (r, region) => ({
      BlockDeviceMappings: volumesOf(region, r.id).map((v) => ({
        DeviceName: v.attachment!.device,
        Ebs: {
          VolumeId: v.id,
          Status: 'attached',
          AttachTime: new Date(v.attachment!.attachTime),
          DeleteOnTermination: v.attachment!.deleteOnTermination,
        },
      })),
    }),
  };

const describeInstanceAttribute: Handler<
  DescribeInstanceAttributeCommandInput,
  Out<DescribeInstanceAttributeCommandOutput>
> = (input, ctx) => {
  if (!input.Attribute) throw missingParameter('Attribute');
  const [r] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const describe = Object.hasOwn(describers, input.Attribute) ? describers[input.Attribute] : undefined;
  if (!describe)
    throw invalidParameterValue(
      `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  return { InstanceId: r!.id, ...describe(r!, ctx.region) };
};

const whenStopped = (r: InstanceRecord) => {
  if (r.state !== 'stopped')
    throw incorrectInstanceState(`The instance '${r.id}' is not in the 'stopped' state.`);
};

const asBool = (v: string) => {
  if (v !== 'true' && v !== 'false')
    throw invalidParameterValue(`Value (${v}) for parameter value is invalid.`);
  return v === 'true';
};

const modifyInstanceAttribute: Handler<
  ModifyInstanceAttributeCommandInput,
  Out<ModifyInstanceAttributeCommandOutput>
> = (input, ctx) => {
  const [r] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const rec = r!;
  const edits: Array<() => void> = [];
  // The legacy form names one attribute and a string Value.
  const legacy = input.Attribute !== undefined ? input.Value : undefined;
  const type = input.InstanceType?.Value ?? (input.Attribute === 'instanceType' ? legacy : undefined);
  if (type !== undefined) {
    whenStopped(rec);
    if (!instanceTypeInfo(type))
      throw new AwsError('InvalidInstanceAttributeValue', `Invalid value '${type}' for InstanceType.`);
    edits.push(() => {
      rec.instanceType = type;
    });
  }
  const term =
    input.DisableApiTermination?.Value ??
    (input.Attribute === 'disableApiTermination' && legacy !== undefined ? asBool(legacy) : undefined);
  if (term !== undefined) edits.push(() => (rec.disableApiTermination = term));
  const stop =
    input.DisableApiStop?.Value ??
    (input.Attribute === 'disableApiStop' && legacy !== undefined ? asBool(legacy) : undefined);
  if (stop !== undefined) edits.push(() => (rec.disableApiStop = stop));
  const behaviour =
    input.InstanceInitiatedShutdownBehavior?.Value ??
    (input.Attribute === 'instanceInitiatedShutdownBehavior' ? legacy : undefined);
  if (behaviour !== undefined) {
    if (behaviour !== 'stop' && behaviour !== 'terminate')
      throw invalidParameterValue(
        `Value (${behaviour}) for parameter instanceInitiatedShutdownBehavior is invalid.`,
      );
    edits.push(() => (rec.shutdownBehavior = behaviour));
  }
  const sdc =
    input.SourceDestCheck?.Value ??
    (input.Attribute === 'sourceDestCheck' && legacy !== undefined ? asBool(legacy) : undefined);
  // The instance's groups and source/dest check are its primary interface's: both change together.
  const primary = primaryInterfaceOf(ctx.region, rec.id);
  if (sdc !== undefined)
    edits.push(() => {
      rec.sourceDestCheck = sdc;
      if (primary) primary.sourceDestCheck = sdc;
    });
  const ebs =
    input.EbsOptimized?.Value ??
    (input.Attribute === 'ebsOptimized' && legacy !== undefined ? asBool(legacy) : undefined);
  if (ebs !== undefined) {
    whenStopped(rec);
    edits.push(() => (rec.ebsOptimized = ebs));
  }
  const userData =
    input.UserData?.Value !== undefined
      ? Buffer.from(input.UserData.Value as Uint8Array | string).toString('base64')
      : input.Attribute === 'userData' && legacy !== undefined
        ? legacy
        : undefined;
  if (userData !== undefined) {
    whenStopped(rec);
    edits.push(() => (rec.userData = userData));
  }
  if (input.Groups?.length) {
    const groups = input.Groups.map((id) => findGroup(ctx.region, id));
    for (const g of groups)
      if (g.vpcId !== rec.vpcId)
        throw invalidParameterValue(
          `Security group ${g.id} and instance ${rec.id} belong to different networks.`,
        );
    edits.push(() => {
      rec.groupIds = groups.map((g) => g.id);
      if (primary) primary.groupIds = [...rec.groupIds];
    });
  }
  if (edits.length === 0) throw missingParameter('Attribute');
  checkDryRun(input);
  for (const edit of edits) edit();
  return {};
};

/**
 * Puts an attribute back to its default: sourceDestCheck (true, on the primary interface too), or the
 * kernel and ramdisk of a stopped instance, which HVM instances do not have
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResetInstanceAttribute.html).
 */
const resetInstanceAttribute: Handler<
  ResetInstanceAttributeCommandInput,
  Out<ResetInstanceAttributeCommandOutput>
> = (input, ctx) => {
  const [r] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const rec = r!;
  if (!input.Attribute) throw missingParameter('Attribute');
  if (input.Attribute === 'kernel' || input.Attribute === 'ramdisk') {
    whenStopped(rec);
    checkDryRun(input);
    return {};
  }
  if (input.Attribute !== 'sourceDestCheck')
    throw invalidParameterValue(
      `Value (${input.Attribute}) for parameter attribute is invalid. Only kernel, ramdisk and sourceDestCheck can be reset.`,
    );
  checkDryRun(input);
  rec.sourceDestCheck = true;
  const primary = primaryInterfaceOf(ctx.region, rec.id);
  if (primary) primary.sourceDestCheck = true;
  return {};
};

export const instanceAttributeHandlers: HandlerMap = {
  DescribeInstanceAttribute: describeInstanceAttribute,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  ResetInstanceAttribute: resetInstanceAttribute,
};
