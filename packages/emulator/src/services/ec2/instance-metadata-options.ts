import type {
  InstanceMetadataOptionsResponse,
  LaunchTemplateInstanceMetadataOptionsRequest,
  ModifyInstanceMetadataOptionsCommandInput,
  ModifyInstanceMetadataOptionsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, incorrectInstanceState, invalidParameterValue } from './errors';
import { DEFAULT_METADATA_OPTIONS, metadataOptionsOf } from './instance-shape';
import { onLaunch } from './instance-state';
import { resolveInstances } from './instances';

/**
 * The instance metadata service options (IMDS): at launch (MetadataOptions) and afterwards
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataOptions.html).
 * The change applies at once; the Modify answer says 'pending' as AWS's does.
 */
type Options = LaunchTemplateInstanceMetadataOptionsRequest;

const oneOf = (name: string, v: string | undefined, allowed: readonly string[]) => {
  if (v !== undefined && !allowed.includes(v))
    throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid.`);
};

/** The options `given` makes of `current`, checked. */
function merged(current: InstanceMetadataOptionsResponse, given: Options): InstanceMetadataOptionsResponse {
  oneOf('HttpTokens', given.HttpTokens, ['optional', 'required']);
  oneOf('HttpEndpoint', given.HttpEndpoint, ['enabled', 'disabled']);
  oneOf('HttpProtocolIpv6', given.HttpProtocolIpv6, ['enabled', 'disabled']);
  oneOf('InstanceMetadataTags', given.InstanceMetadataTags, ['enabled', 'disabled']);
  const hops = given.HttpPutResponseHopLimit;
  if (hops !== undefined && (hops < 1 || hops > 64))
    throw invalidParameterValue(
      `Value (${hops}) for parameter HttpPutResponseHopLimit is invalid. Expecting a value between 1 and 64.`,
    );
  return {
    State: 'applied',
    HttpTokens: given.HttpTokens ?? current.HttpTokens,
    HttpPutResponseHopLimit: hops ?? current.HttpPutResponseHopLimit,
    HttpEndpoint: given.HttpEndpoint ?? current.HttpEndpoint,
    HttpProtocolIpv6: given.HttpProtocolIpv6 ?? current.HttpProtocolIpv6,
    InstanceMetadataTags: given.InstanceMetadataTags ?? current.InstanceMetadataTags,
  };
}

onLaunch((_scope, launch) => {
  const given = launch.input.MetadataOptions;
  if (!given) return undefined;
  const options = merged(DEFAULT_METADATA_OPTIONS, given);
  return (rec) => {
    rec.metadataOptions = { ...options };
  };
});

const modifyInstanceMetadataOptions: Handler<
  ModifyInstanceMetadataOptionsCommandInput,
  Out<ModifyInstanceMetadataOptionsCommandOutput>
> = (input, ctx) => {
  const [rec] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const r = rec!;
  if (r.state === 'terminated' || r.state === 'shutting-down')
    throw incorrectInstanceState(
      `The instance '${r.id}' is not in a state from which its metadata options can be modified.`,
    );
  const options = merged(metadataOptionsOf(r), input);
  checkDryRun(input);
  r.metadataOptions = options;
  return { InstanceId: r.id, InstanceMetadataOptions: { ...options, State: 'pending' } };
};

export const instanceMetadataOptionHandlers: HandlerMap = {
  ModifyInstanceMetadataOptions: modifyInstanceMetadataOptions,
};
