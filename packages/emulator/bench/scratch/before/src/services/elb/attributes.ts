import type {
  DescribeLoadBalancerAttributesCommandInput,
  DescribeLoadBalancerAttributesCommandOutput,
  LoadBalancerAttributes,
  ModifyLoadBalancerAttributesCommandInput,
  ModifyLoadBalancerAttributesCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { loadBalancerAttributeNotFound, validationError } from './errors';
import { findLoadBalancer, type LoadBalancer } from './state';

/**
 * The attributes a load balancer created through the API starts with (cross-zone is off unless the
 * console creates it). https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_LoadBalancerAttributes.html
 */
export function defaultAttributes(): LoadBalancer['attributes'] {
  return {
    CrossZoneLoadBalancing: { Enabled: false },
    AccessLog: { Enabled: false },
    ConnectionDraining: { Enabled: false, Timeout: 300 },
    ConnectionSettings: { IdleTimeout: 60 },
    AdditionalAttributes: new Map([['elb.http.desyncmitigationmode', 'defensive']]),
  };
}

/** The only additional attribute Classic ELB knows, with its allowed values. */
const additionalAttributes: Record<string, string[]> = {
  'elb.http.desyncmitigationmode': ['monitor', 'defensive', 'strictest'],
};

function toWire(a: LoadBalancer['attributes']): LoadBalancerAttributes {
  return {
    CrossZoneLoadBalancing: { ...a.CrossZoneLoadBalancing },
    AccessLog: { ...a.AccessLog },
    ConnectionDraining: { ...a.ConnectionDraining },
    ConnectionSettings: { ...a.ConnectionSettings },
    AdditionalAttributes: [...a.AdditionalAttributes].map(([Key, Value]) => ({ Key, Value })),
  };
}

const inRange = (v: number | undefined, min: number, max: number) =>
  v !== undefined && Number.isInteger(v) && v >= min && v <= max;

/** Validates every requested change before applying any, as AWS does. */
function modify(
  current: LoadBalancer['attributes'],
  change: LoadBalancerAttributes,
): LoadBalancer['attributes'] {
  const next = { ...current, AdditionalAttributes: new Map(current.AdditionalAttributes) };
  const { CrossZoneLoadBalancing, AccessLog, ConnectionDraining, ConnectionSettings, AdditionalAttributes } =
    change;
  if (CrossZoneLoadBalancing) {
    if (CrossZoneLoadBalancing.Enabled === undefined)
      throw validationError('CrossZoneLoadBalancing.Enabled is required');
    next.CrossZoneLoadBalancing = { Enabled: CrossZoneLoadBalancing.Enabled };
  }
  if (AccessLog) {
    if (AccessLog.Enabled === undefined) throw validationError('AccessLog.Enabled is required');
    if (AccessLog.Enabled && !AccessLog.S3BucketName)
      throw validationError('S3BucketName is required when access logs are enabled');
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-access-logs.html
    if (AccessLog.EmitInterval !== undefined && AccessLog.EmitInterval !== 5 && AccessLog.EmitInterval !== 60)
      throw validationError('EmitInterval must be 5 or 60 minutes');
    next.AccessLog = AccessLog.Enabled
      ? { EmitInterval: 60, S3BucketPrefix: '', ...AccessLog }
      : { Enabled: false };
  }
  if (ConnectionDraining) {
    if (ConnectionDraining.Enabled === undefined)
      throw validationError('ConnectionDraining.Enabled is required');
    if (ConnectionDraining.Timeout !== undefined && !inRange(ConnectionDraining.Timeout, 1, 3600))
      throw validationError('ConnectionDraining.Timeout must be between 1 and 3600 seconds');
    next.ConnectionDraining = {
      Enabled: ConnectionDraining.Enabled,
      Timeout: ConnectionDraining.Timeout ?? current.ConnectionDraining.Timeout,
    };
  }
  if (ConnectionSettings) {
    if (!inRange(ConnectionSettings.IdleTimeout, 1, 4000))
      throw validationError('IdleTimeout must be between 1 and 4000 seconds');
    next.ConnectionSettings = { IdleTimeout: ConnectionSettings.IdleTimeout };
  }
  for (const { Key, Value } of AdditionalAttributes ?? []) {
    const allowed = Key === undefined ? undefined : additionalAttributes[Key];
    if (!allowed || Key === undefined) throw loadBalancerAttributeNotFound(Key ?? '');
    if (Value === undefined || !allowed.includes(Value))
      throw validationError(`${Key} must be one of ${allowed.join(', ')}`);
    next.AdditionalAttributes.set(Key, Value);
  }
  return next;
}

const describeLoadBalancerAttributes: Handler<
  DescribeLoadBalancerAttributesCommandInput,
  Out<DescribeLoadBalancerAttributesCommandOutput>
> = (input, ctx) => ({
  LoadBalancerAttributes: toWire(findLoadBalancer(ctx, input.LoadBalancerName).attributes),
});

const modifyLoadBalancerAttributes: Handler<
  ModifyLoadBalancerAttributesCommandInput,
  Out<ModifyLoadBalancerAttributesCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  if (!input.LoadBalancerAttributes) throw validationError('LoadBalancerAttributes is required');
  lb.attributes = modify(lb.attributes, input.LoadBalancerAttributes);
  return { LoadBalancerName: lb.name, LoadBalancerAttributes: toWire(lb.attributes) };
};

export const attributeHandlers: HandlerMap = {
  DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
  ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
};
