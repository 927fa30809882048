import type {
  DescribeImageAttributeCommandInput,
  DescribeImageAttributeCommandOutput,
  ImageAttributeName,
  LaunchPermission,
  ModifyImageAttributeCommandInput,
  ModifyImageAttributeCommandOutput,
  ResetImageAttributeCommandInput,
  ResetImageAttributeCommandOutput,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun, invalidParameterValue, missingParameter } from './errors';
import { findImage, type ImageRecord } from './images';

/**
 * Image attributes: description, launch permissions (public with the `all` group, or per account)
 * and IMDS support; the rest read as the image has them
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html).
 */
const launchUsers = (region: Region) =>
  region.slot('ec2.imageLaunchUsers', () => new Map<string, string[]>());

function own(region: Region, id: string | undefined): ImageRecord {
  if (!id) throw missingParameter('ImageId');
  const rec = findImage(region, id);
  if (rec.image.OwnerId !== region.accountId)
    throw new AwsError('AuthFailure', `Not authorized for image:${id}`);
  return rec;
}

const permissions = (region: Region, rec: ImageRecord): LaunchPermission[] => [
  ...(rec.image.Public ? [{ Group: 'all' as const }] : []),
  ...(launchUsers(region).get(rec.image.ImageId!) ?? []).map((UserId) => ({ UserId })),
];

const describeImageAttribute: Handler<
  DescribeImageAttributeCommandInput,
  Out<DescribeImageAttributeCommandOutput>
> = (input, ctx) => {
  if (!input.ImageId) throw missingParameter('ImageId');
  const rec = findImage(ctx.region, input.ImageId);
  const i = rec.image;
  const out = { ImageId: i.ImageId };
  const value = (v: string | undefined) => (v === undefined ? {} : { Value: v });
  const byName: Record<ImageAttributeName, () => Out<DescribeImageAttributeCommandOutput>> = {
    description: () => ({ ...out, Description: value(i.Description) }),
    kernel: () => ({ ...out, KernelId: value(i.KernelId) }),
    ramdisk: () => ({ ...out, RamdiskId: value(i.RamdiskId) }),
    launchPermission: () => ({
      ...out,
      LaunchPermissions: i.OwnerId === ctx.region.accountId ? permissions(ctx.region, rec) : [],
    }),
    productCodes: () => ({ ...out, ProductCodes: i.ProductCodes ?? [] }),
    blockDeviceMapping: () => ({ ...out, BlockDeviceMappings: i.BlockDeviceMappings ?? [] }),
    sriovNetSupport: () => ({ ...out, SriovNetSupport: value(i.SriovNetSupport) }),
    bootMode: () => ({ ...out, BootMode: value(i.BootMode) }),
    tpmSupport: () => ({ ...out, TpmSupport: value(i.TpmSupport) }),
    uefiData: () => ({ ...out, UefiData: {} }),
    lastLaunchedTime: () => ({ ...out, LastLaunchedTime: value(i.LastLaunchedTime) }),
    imdsSupport: () => ({ ...out, ImdsSupport: value(i.ImdsSupport) }),
    deregistrationProtection: () => ({ ...out, DeregistrationProtection: { Value: 'disabled' } }),
  };
  if (!input.Attribute) throw missingParameter('Attribute');
  const read = Object.hasOwn(byName, input.Attribute) ? byName[input.Attribute] : undefined;
  if (!read)
    throw invalidParameterValue(
      `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  return read();
};

const modifyImageAttribute: Handler<
  ModifyImageAttributeCommandInput,
  Out<ModifyImageAttributeCommandOutput>
> = (input, ctx) => {
  const rec = own(ctx.region, input.ImageId);
  const edits: (() => void)[] = [];
  const description =
    input.Description?.Value ?? (input.Attribute === 'description' ? input.Value : undefined);
  if (description !== undefined) edits.push(() => (rec.image.Description = description));
  const add: LaunchPermission[] = [...(input.LaunchPermission?.Add ?? [])];
  const remove: LaunchPermission[] = [...(input.LaunchPermission?.Remove ?? [])];
  const legacy: LaunchPermission[] = [
    ...(input.UserIds ?? []).map((UserId) => ({ UserId })),
    ...(input.UserGroups ?? []).map((Group) => ({ Group: Group as 'all' })),
  ];
  if (legacy.length) {
    if (input.OperationType === 'add') add.push(...legacy);
    else if (input.OperationType === 'remove') remove.push(...legacy);
    else throw missingParameter('OperationType');
  }
  for (const p of [...add, ...remove]) {
    if (p.Group !== undefined && p.Group !== 'all')
      throw invalidParameterValue(
        `Value (${p.Group}) for parameter group is invalid. Only 'all' is supported.`,
      );
    if (p.UserId !== undefined && !/^\d{12}$/.test(p.UserId))
      throw new AwsError(
        'InvalidAMIAttributeItemValue',
        `Invalid attribute item value "${p.UserId}" for userId item type.`,
      );
    if (p.OrganizationArn || p.OrganizationalUnitArn)
      throw invalidParameterValue('Organizations are not supported by the emulator.');
  }
  if (add.length || remove.length)
    edits.push(() => {
      const users = new Set(launchUsers(ctx.region).get(rec.image.ImageId!) ?? []);
      for (const p of add) {
        if (p.Group) rec.image.Public = true;
        if (p.UserId) users.add(p.UserId);
      }
      for (const p of remove) {
        if (p.Group) rec.image.Public = false;
        if (p.UserId) users.delete(p.UserId);
      }
      launchUsers(ctx.region).set(rec.image.ImageId!, [...users]);
    });
  const imds = input.ImdsSupport?.Value;
  if (imds !== undefined) {
    if (imds !== 'v2.0') throw invalidParameterValue(`Value (${imds}) for parameter imdsSupport is invalid.`);
    edits.push(() => (rec.image.ImdsSupport = 'v2.0'));
  }
  if (input.ProductCodes?.length)
    throw new AwsError(
      'InvalidParameter',
      'Product codes can only be added to images by AWS Marketplace sellers.',
    );
  if (edits.length === 0) throw missingParameter('Attribute');
  checkDryRun(input);
  for (const edit of edits) edit();
  return {};
};

/** Only launchPermission can be reset: the image becomes private to its owner. */
const resetImageAttribute: Handler<ResetImageAttributeCommandInput, Out<ResetImageAttributeCommandOutput>> = (
  input,
  ctx,
) => {
  const rec = own(ctx.region, input.ImageId);
  if (!input.Attribute) throw missingParameter('Attribute');
  if (input.Attribute !== 'launchPermission')
    throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid.`);
  checkDryRun(input);
  rec.image.Public = false;
  launchUsers(ctx.region).delete(rec.image.ImageId!);
  return {};
};

export const imageAttributeHandlers: HandlerMap = {
  DescribeImageAttribute: describeImageAttribute,
  ModifyImageAttribute: modifyImageAttribute,
  ResetImageAttribute: resetImageAttribute,
};
