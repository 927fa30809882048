import type { Filter, Instance } from '@aws-sdk/client-ec2';

/**
 * DescribeInstances filters, evaluated locally against the cached snapshot so subscribers with
 * different filters share one upstream poll. Names and semantics follow
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html : values of one
 * filter are ORed, filters are ANDed, values take `*` and `?` wildcards.
 */
const fields: Record<string, (i: Instance) => (string | number | undefined)[]> = {
  'instance-id': (i) => [i.InstanceId],
  'instance-state-name': (i) => [i.State?.Name],
  'instance-state-code': (i) => [i.State?.Code],
  'instance-type': (i) => [i.InstanceType],
  'availability-zone': (i) => [i.Placement?.AvailabilityZone],
  'image-id': (i) => [i.ImageId],
  'vpc-id': (i) => [i.VpcId],
  'subnet-id': (i) => [i.SubnetId],
  'key-name': (i) => [i.KeyName],
  'private-ip-address': (i) => [i.PrivateIpAddress],
  'ip-address': (i) => [i.PublicIpAddress],
  'private-dns-name': (i) => [i.PrivateDnsName],
  'dns-name': (i) => [i.PublicDnsName],
  architecture: (i) => [i.Architecture],
  tenancy: (i) => [i.Placement?.Tenancy],
  'instance-lifecycle': (i) => [i.InstanceLifecycle],
  reason: (i) => [i.StateTransitionReason],
  'instance.group-id': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupId),
  'instance.group-name': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupName),
  'tag-key': (i) => (i.Tags ?? []).map((t) => t.Key),
  'tag-value': (i) => (i.Tags ?? []).map((t) => t.Value),
};

export type InstancePredicate = (instance: Instance) => boolean;

/** Thrown for a filter the stream cannot evaluate; the procedure turns it into BAD_REQUEST. */
export class UnsupportedFilterError extends Error {
  override name = 'UnsupportedFilterError';
}

export function supportedFilterNames(): string[] {
  return [...Object.keys(fields), 'tag:<key>'];
}

/** Compiles filters once per subscriber; the predicate then runs per instance per change. */
export function compileInstanceFilters(filters: readonly Filter[] | undefined): InstancePredicate {
  if (!filters?.length) return () => true;
  const tests = filters.map((f) => {
    const name = f.Name ?? '';
    const read = name.startsWith('tag:') ? tagValue(name.slice(4)) : fields[name];
    if (!read) {
      throw new UnsupportedFilterError(
        `The filter '${name}' is not supported by the stream; supported: ${supportedFilterNames().join(', ')}`,
      );
    }
    const patterns = (f.Values ?? []).map(wildcard);
    return (i: Instance) => {
      const values = read(i);
      return values.some((v) => v !== undefined && patterns.some((p) => p.test(String(v))));
    };
  });
  return (i) => tests.every((test) => test(i));
}

function tagValue(key: string) {
  return (i: Instance) => (i.Tags ?? []).filter((t) => t.Key === key).map((t) => t.Value);
}

/** EC2 filter wildcards: `*` any run, `?` one character, `\` escapes the next. */
function wildcard(value: string): RegExp {
  let re = '';
  for (let k = 0; k < value.length; k++) {
    const c = value[k]!;
    if (c === '\\' && k + 1 < value.length) re += escapeRegExp(value[++k]!);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
