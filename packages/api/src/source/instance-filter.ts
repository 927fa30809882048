import type { Filter, Instance } from '@aws-sdk/client-ec2';
import { compileEc2Filters, type FilterTable, UnknownFilterError } from '@aws-trpc/shared/ec2-filters';

/**
 * DescribeInstances filters, evaluated locally against the cached snapshot so subscribers with
 * different filters share one upstream poll. Names and semantics follow
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html : values of one
 * filter are ORed, filters are ANDed, values take `*` and `?` wildcards.
 */
const fields: FilterTable<Instance> = {
  'instance-id': (i) => i.InstanceId,
  'instance-state-name': (i) => i.State?.Name,
  'instance-state-code': (i) => i.State?.Code,
  'instance-type': (i) => i.InstanceType,
  'availability-zone': (i) => i.Placement?.AvailabilityZone,
  'image-id': (i) => i.ImageId,
  'vpc-id': (i) => i.VpcId,
  'subnet-id': (i) => i.SubnetId,
  'key-name': (i) => i.KeyName,
  'private-ip-address': (i) => i.PrivateIpAddress,
  'ip-address': (i) => i.PublicIpAddress,
  'private-dns-name': (i) => i.PrivateDnsName,
  'dns-name': (i) => i.PublicDnsName,
  architecture: (i) => i.Architecture,
  tenancy: (i) => i.Placement?.Tenancy,
  'instance-lifecycle': (i) => i.InstanceLifecycle,
  reason: (i) => i.StateTransitionReason,
  'instance.group-id': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupId),
  'instance.group-name': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupName),
};

export type InstancePredicate = (instance: Instance) => boolean;

/** Thrown for a filter the stream cannot evaluate; the procedure turns it into BAD_REQUEST. */
export class UnsupportedFilterError extends Error {
  override name = 'UnsupportedFilterError';
}

export function supportedFilterNames(): string[] {
  return [...Object.keys(fields), 'tag:<key>', 'tag-key', 'tag-value'];
}

/** Compiles filters once per subscriber; the predicate then runs per instance per change. */
export function compileInstanceFilters(filters: readonly Filter[] | undefined): InstancePredicate {
  try {
    return compileEc2Filters(filters, fields, (i) => i.Tags);
  } catch (error) {
    if (!(error instanceof UnknownFilterError)) throw error;
    throw new UnsupportedFilterError(
      `The filter '${error.filterName}' is not supported by the stream; supported: ${supportedFilterNames().join(', ')}`,
    );
  }
}
