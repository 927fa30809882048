import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../src/router';

/** The SDK's command classes, counted from the installed packages themselves (not from the catalog). */
function sdkCommands(sdk: Record<string, unknown>): string[] {
  return Object.keys(sdk).filter((k) => /^[A-Z]\w*Command$/.test(k) && typeof sdk[k] === 'function');
}

type Procedures = Record<string, { _def: { type: string; meta?: unknown } }>;
const procedures = appRouter._def.procedures as unknown as Procedures;

function routerProcedures(service: 'ec2' | 'elb'): string[] {
  return Object.keys(procedures).filter((path) => path.startsWith(`${service}.`));
}

function operationProcedures(service: 'ec2' | 'elb') {
  return routerProcedures(service).filter((p) => procedures[p]?._def.type !== 'subscription');
}

describe('the router', () => {
  it('has one ec2 procedure per EC2 SDK command', () => {
    const commands = sdkCommands(ec2Sdk as unknown as Record<string, unknown>);
    expect(commands.length).toBeGreaterThanOrEqual(823);
    expect(operationProcedures('ec2').length).toBe(commands.length);
  });

  it('has one elb procedure per Classic ELB SDK command', () => {
    const commands = sdkCommands(elbSdk as unknown as Record<string, unknown>);
    expect(commands.length).toBe(29);
    expect(operationProcedures('elb').length).toBe(commands.length);
  });

  it('names each procedure after the SDK aggregated client method, with meta naming the operation', () => {
    const client = new ec2Sdk.EC2({ region: 'us-east-1' }) as unknown as Record<string, unknown>;
    for (const command of sdkCommands(ec2Sdk as unknown as Record<string, unknown>)) {
      const operation = command.slice(0, -'Command'.length);
      const method = operation[0]?.toLowerCase() + operation.slice(1);
      expect(typeof client[method], method).toBe('function');
      const procedure = procedures[`ec2.${method}`];
      expect(procedure, `ec2.${method}`).toBeDefined();
      expect(procedure?._def.meta).toEqual({ service: 'ec2', operation, kind: procedure?._def.type });
    }
  });

  it('makes read-only operations queries and the rest mutations', () => {
    expect(procedures['ec2.describeInstances']?._def.type).toBe('query');
    expect(procedures['ec2.runInstances']?._def.type).toBe('mutation');
    expect(procedures['ec2.terminateInstances']?._def.type).toBe('mutation');
    expect(procedures['elb.describeLoadBalancers']?._def.type).toBe('query');
    expect(procedures['elb.createLoadBalancer']?._def.type).toBe('mutation');
    for (const path of operationProcedures('ec2')) {
      if (/^ec2\.(describe|get|list|search)[A-Z]/.test(path))
        expect(procedures[path]?._def.type, path).toBe('query');
      if (/^ec2\.(run|create|delete|terminate|modify|start|stop)[A-Z]/.test(path)) {
        expect(procedures[path]?._def.type, path).toBe('mutation');
      }
    }
  });
});
