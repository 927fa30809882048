import type {
  DisableEbsEncryptionByDefaultCommandInput,
  DisableEbsEncryptionByDefaultCommandOutput,
  EnableEbsEncryptionByDefaultCommandInput,
  EnableEbsEncryptionByDefaultCommandOutput,
  GetEbsDefaultKmsKeyIdCommandInput,
  GetEbsDefaultKmsKeyIdCommandOutput,
  GetEbsEncryptionByDefaultCommandInput,
  GetEbsEncryptionByDefaultCommandOutput,
  ModifyEbsDefaultKmsKeyIdCommandInput,
  ModifyEbsDefaultKmsKeyIdCommandOutput,
  ResetEbsDefaultKmsKeyIdCommandInput,
  ResetEbsDefaultKmsKeyIdCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun, invalidParameterValue, missingParameter } from './errors';

/**
 * The account's EBS defaults per region: encryption by default and the KMS key new encrypted volumes
 * use (https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html). The emulator has
 * no KMS: any well-formed key id, key ARN, alias name or alias ARN is accepted.
 */
interface EbsDefaults {
  encryptByDefault: boolean;
  kmsKeyId?: string | undefined;
}

export const ebsDefaults = (region: Region) =>
  region.slot<EbsDefaults>('ec2.ebsDefaults', () => ({ encryptByDefault: false }));

/** The AWS managed key (`alias/aws/ebs`) unless the account chose another. */
export const defaultKmsKeyId = (region: Region) =>
  ebsDefaults(region).kmsKeyId ?? `arn:aws:kms:${region.name}:${region.accountId}:alias/aws/ebs`;

const KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/.-]+|arn:aws[\w-]*:kms:[\w-]+:\d{12}:(?:key\/[\w-]+|alias\/[\w/.-]+))$/;

/** A KMS key reference as EC2 takes it: key id, key ARN, alias name or alias ARN. */
export function checkKmsKeyId(id: string): string {
  if (!KEY.test(id)) throw invalidParameterValue(`Invalid KMS key ID or alias: ${id}`);
  return id;
}

const get: Handler<GetEbsEncryptionByDefaultCommandInput, Out<GetEbsEncryptionByDefaultCommandOutput>> = (
  _input,
  ctx,
) => ({ EbsEncryptionByDefault: ebsDefaults(ctx.region).encryptByDefault, SseType: 'sse-ebs' });

const enable: Handler<
  EnableEbsEncryptionByDefaultCommandInput,
  Out<EnableEbsEncryptionByDefaultCommandOutput>
> = (input, ctx) => {
  checkDryRun(input);
  ebsDefaults(ctx.region).encryptByDefault = true;
  return { EbsEncryptionByDefault: true };
};

const disable: Handler<
  DisableEbsEncryptionByDefaultCommandInput,
  Out<DisableEbsEncryptionByDefaultCommandOutput>
> = (input, ctx) => {
  checkDryRun(input);
  ebsDefaults(ctx.region).encryptByDefault = false;
  return { EbsEncryptionByDefault: false };
};

const getKey: Handler<GetEbsDefaultKmsKeyIdCommandInput, Out<GetEbsDefaultKmsKeyIdCommandOutput>> = (
  _input,
  ctx,
) => ({ KmsKeyId: defaultKmsKeyId(ctx.region) });

const modifyKey: Handler<ModifyEbsDefaultKmsKeyIdCommandInput, Out<ModifyEbsDefaultKmsKeyIdCommandOutput>> = (
  input,
  ctx,
) => {
  if (!input.KmsKeyId) throw missingParameter('KmsKeyId');
  const key = checkKmsKeyId(input.KmsKeyId);
  checkDryRun(input);
  ebsDefaults(ctx.region).kmsKeyId = key;
  return { KmsKeyId: key };
};

const resetKey: Handler<ResetEbsDefaultKmsKeyIdCommandInput, Out<ResetEbsDefaultKmsKeyIdCommandOutput>> = (
  input,
  ctx,
) => {
  checkDryRun(input);
  ebsDefaults(ctx.region).kmsKeyId = undefined;
  return { KmsKeyId: defaultKmsKeyId(ctx.region) };
};

export const ebsDefaultHandlers: HandlerMap = {
  GetEbsEncryptionByDefault: get,
  EnableEbsEncryptionByDefault: enable,
  DisableEbsEncryptionByDefault: disable,
  GetEbsDefaultKmsKeyId: getKey,
  ModifyEbsDefaultKmsKeyId: modifyKey,
  ResetEbsDefaultKmsKeyId: resetKey,
};
