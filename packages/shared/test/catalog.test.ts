import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { describe, expect, it } from 'vitest';
import { deriveCatalog } from '../scripts/derive-catalog';
import { catalog, findOperation } from '../src/index';

const STALE = 'src/catalog.generated.ts disagrees with the installed SDK: run `pnpm codegen`';
const derived = deriveCatalog();

function sdkCommandCount(module: Record<string, unknown>): number {
  return Object.keys(module).filter((key) => /^[A-Z]\w*Command$/.test(key)).length;
}

describe('the checked-in catalog', () => {
  it.each(['ec2', 'elb'] as const)('%s matches the installed SDK', (service) => {
    expect(catalog[service].sdk, STALE).toEqual(derived[service].sdk);
    expect(catalog[service].operations, STALE).toEqual(derived[service].operations);
    expect(catalog[service].waiters, STALE).toEqual(derived[service].waiters);
    expect(catalog[service].errors, STALE).toEqual(derived[service].errors);
  });

  it('covers every command: 823 EC2 and 29 Classic ELB', () => {
    expect(catalog.ec2.operations).toHaveLength(823);
    expect(catalog.elb.operations).toHaveLength(29);
    expect(catalog.ec2.operations).toHaveLength(sdkCommandCount(ec2Sdk));
    expect(catalog.elb.operations).toHaveLength(sdkCommandCount(elbSdk));
    expect(catalog.ec2.waiters).toHaveLength(43);
    expect(catalog.elb.waiters).toHaveLength(3);
  });

  it('names each procedure after the aggregated client method', () => {
    for (const [service, client] of [
      ['ec2', ec2Sdk.EC2],
      ['elb', elbSdk.ElasticLoadBalancing],
    ] as const) {
      const procedures = catalog[service].operations.map((entry) => entry.procedure);
      expect(new Set(procedures).size).toBe(procedures.length);
      for (const procedure of procedures) {
        expect(typeof (client.prototype as unknown as Record<string, unknown>)[procedure], procedure).toBe(
          'function',
        );
      }
    }
    expect(findOperation('ec2', 'RunInstances')?.procedure).toBe('runInstances');
    expect(findOperation('elb', 'describeLoadBalancers')?.operation).toBe('DescribeLoadBalancers');
    expect(findOperation('ec2', 'runinstances')).toBeUndefined();
  });

  it('marks read-only operations as queries and the rest as mutations', () => {
    const kind = (service: 'ec2' | 'elb', name: string) => findOperation(service, name)?.kind;
    expect(kind('ec2', 'DescribeInstances')).toBe('query');
    expect(kind('ec2', 'GetConsoleOutput')).toBe('query');
    expect(kind('ec2', 'ListImagesInRecycleBin')).toBe('query');
    expect(kind('ec2', 'SearchTransitGatewayRoutes')).toBe('query');
    expect(kind('ec2', 'RunInstances')).toBe('mutation');
    expect(kind('ec2', 'TerminateInstances')).toBe('mutation');
    expect(kind('ec2', 'ExportImage')).toBe('mutation');
    expect(kind('elb', 'DescribeLoadBalancers')).toBe('query');
    expect(kind('elb', 'CreateLoadBalancer')).toBe('mutation');
    expect(kind('elb', 'ConfigureHealthCheck')).toBe('mutation');
    const queries = catalog.ec2.operations.filter((entry) => entry.kind === 'query');
    for (const entry of queries) expect(entry.operation).toMatch(/^(Describe|Get|List|Search|Validate)/);
  });

  it('records waiters from the SDK waiter modules', () => {
    expect(findOperation('ec2', 'DescribeInstances')?.waiters).toEqual([
      'InstanceExists',
      'InstanceRunning',
      'InstanceStopped',
      'InstanceTerminated',
    ]);
    expect(findOperation('ec2', 'DescribeInstanceStatus')?.waiters).toEqual([
      'InstanceStatusOk',
      'SystemStatusOk',
    ]);
    expect(findOperation('ec2', 'RunInstances')?.waiters).toBeUndefined();
    expect(findOperation('elb', 'DescribeInstanceHealth')?.waiters).toEqual([
      'AnyInstanceInService',
      'InstanceDeregistered',
      'InstanceInService',
    ]);
    expect(catalog.ec2.waiters).toContainEqual({
      name: 'PasswordDataAvailable',
      operation: 'GetPasswordData',
    });
    // every waiter is also listed on its operation
    for (const waiter of catalog.ec2.waiters) {
      expect(findOperation('ec2', waiter.operation)?.waiters).toContain(waiter.name);
    }
  });

  it('records paginators with tokens, page size and items member', () => {
    expect(findOperation('ec2', 'DescribeInstances')?.paginator).toEqual({
      inputToken: 'NextToken',
      outputToken: 'NextToken',
      pageSize: 'MaxResults',
      items: 'Reservations',
    });
    expect(findOperation('ec2', 'DescribeSecurityGroups')?.paginator?.items).toBe('SecurityGroups');
    expect(findOperation('elb', 'DescribeLoadBalancers')?.paginator).toEqual({
      inputToken: 'Marker',
      outputToken: 'NextMarker',
      items: 'LoadBalancerDescriptions',
    });
    expect(findOperation('ec2', 'RunInstances')?.paginator).toBeUndefined();
    const paginated = catalog.ec2.operations.filter((entry) => 'paginator' in entry);
    expect(paginated).toHaveLength(Object.keys(ec2Sdk).filter((key) => key.startsWith('paginate')).length);
  });

  it('records idempotency tokens and secrets', () => {
    expect(findOperation('ec2', 'RunInstances')?.idempotencyToken).toBe('ClientToken');
    expect(findOperation('ec2', 'CreateVolume')?.idempotencyToken).toBe('ClientToken');
    expect(findOperation('ec2', 'DescribeInstances')?.idempotencyToken).toBeUndefined();
    expect(catalog.elb.operations.some((entry) => 'idempotencyToken' in entry)).toBe(false);
    expect(findOperation('ec2', 'RunInstances')?.secrets).toContain('UserData');
    expect(findOperation('ec2', 'ImportKeyPair')?.secrets).toContain('PublicKeyMaterial');
    expect(findOperation('ec2', 'CreateKeyPair')?.secrets).toContain('KeyMaterial');
    expect(findOperation('ec2', 'GetPasswordData')?.secrets).toContain('PasswordData');
    expect(findOperation('ec2', 'TerminateInstances')?.secrets).toBeUndefined();
  });

  it('records ELB error codes from the SDK error schemas', () => {
    expect(catalog.elb.errors).toContainEqual({
      code: 'LoadBalancerNotFound',
      httpStatus: 400,
      exception: 'AccessPointNotFoundException',
    });
    expect(catalog.elb.errors).toContainEqual({
      code: 'DuplicateLoadBalancerName',
      httpStatus: 400,
      exception: 'DuplicateAccessPointNameException',
    });
    expect(catalog.ec2.errors).toEqual([]);
  });
});

describe('SDK waiter minimum delays', () => {
  it("reads each waiter's minDelay from the SDK, before any request", async () => {
    const { sdkWaiterMinDelaySeconds } = await import('../src/sdk');
    expect(await sdkWaiterMinDelaySeconds('ec2', 'InstanceRunning')).toBe(15);
    expect(await sdkWaiterMinDelaySeconds('ec2', 'InstanceExists')).toBe(5);
    expect(await sdkWaiterMinDelaySeconds('ec2', 'VpcExists')).toBe(1);
    expect(await sdkWaiterMinDelaySeconds('elb', 'InstanceInService')).toBe(15);
    for (const service of ['ec2', 'elb'] as const) {
      for (const w of catalog[service].waiters)
        expect(await sdkWaiterMinDelaySeconds(service, w.name)).toBeGreaterThan(0);
    }
  });
});
