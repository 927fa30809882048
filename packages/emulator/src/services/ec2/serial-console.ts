import type {
  DisableSerialConsoleAccessCommandInput,
  DisableSerialConsoleAccessCommandOutput,
  EnableSerialConsoleAccessCommandInput,
  EnableSerialConsoleAccessCommandOutput,
  GetSerialConsoleAccessStatusCommandInput,
  GetSerialConsoleAccessStatusCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun } from './errors';

/**
 * EC2 serial console access, an account setting per region that is off until enabled
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableSerialConsoleAccess.html).
 */
const setting = (region: Region) => region.slot('ec2.serialConsole', () => ({ enabled: false }));

const get: Handler<
  GetSerialConsoleAccessStatusCommandInput,
  Out<GetSerialConsoleAccessStatusCommandOutput>
> = (_input, ctx) => ({ SerialConsoleAccessEnabled: setting(ctx.region).enabled, ManagedBy: 'account' });

const enable: Handler<EnableSerialConsoleAccessCommandInput, Out<EnableSerialConsoleAccessCommandOutput>> = (
  input,
  ctx,
) => {
  checkDryRun(input);
  setting(ctx.region).enabled = true;
  return { SerialConsoleAccessEnabled: true };
};

const disable: Handler<
  DisableSerialConsoleAccessCommandInput,
  Out<DisableSerialConsoleAccessCommandOutput>
> = (input, ctx) => {
  checkDryRun(input);
  setting(ctx.region).enabled = false;
  return { SerialConsoleAccessEnabled: false };
};

export const serialConsoleHandlers: HandlerMap = {
  GetSerialConsoleAccessStatus: get,
  EnableSerialConsoleAccess: enable,
  DisableSerialConsoleAccess: disable,
};
