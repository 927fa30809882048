import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import type { ServiceName } from '../core/types';

/** An operation schema as the SDK exports it (`X$`): `[9, namespace, name, traits, input, output]`. */
export type OperationSchema = readonly [9, string, string, unknown, unknown, unknown];

/**
 * What the wire needs to know about one service. The operation list is the SDK's own: every export
 * `X$` that is an operation schema; nothing here repeats it.
 */
export interface ServiceProtocol {
  readonly service: ServiceName;
  /** The `Version` form parameter the SDK and CLI send. */
  readonly version: string;
  /** The service name in the SigV4 credential scope. */
  readonly signingName: string;
  readonly xmlns: string;
  /** EC2 Query (flattened `Name.N` lists, query names) rather than AWS Query (`Name.member.N`). */
  readonly ec2Query: boolean;
  operation(action: string): OperationSchema | undefined;
  /** Every operation the SDK knows for this service, sorted. */
  operationNames(): readonly string[];
}

function isOperationSchema(value: unknown): value is OperationSchema {
  return Array.isArray(value) && value[0] === 9 && typeof value[2] === 'string';
}

function protocolFor(
  service: ServiceName,
  sdk: Record<string, unknown>,
  fixed: Pick<ServiceProtocol, 'version' | 'signingName' | 'xmlns' | 'ec2Query'>,
): ServiceProtocol {
  let names: string[] | undefined;
  return {
    service,
    ...fixed,
    operation(action) {
      // Guard against prototype keys and shape schemas (`Instance$` is a structure, not an operation).
      if (!/^[A-Z][A-Za-z0-9]*$/.test(action)) return undefined;
      const candidate = sdk[`${action}$`];
      return isOperationSchema(candidate) && candidate[2] === action ? candidate : undefined;
    },
    operationNames() {
      names ??= Object.values(sdk)
        .filter(isOperationSchema)
        .map((op) => op[2])
        .sort();
      return names;
    },
  };
}

export const ec2Protocol: ServiceProtocol = protocolFor('ec2', ec2Sdk as Record<string, unknown>, {
  version: '2016-11-15',
  signingName: 'ec2',
  xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  ec2Query: true,
});

export const elbProtocol: ServiceProtocol = protocolFor('elb', elbSdk as Record<string, unknown>, {
  version: '2012-06-01',
  signingName: 'elasticloadbalancing',
  xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/',
  ec2Query: false,
});

export const protocols: Record<ServiceName, ServiceProtocol> = { ec2: ec2Protocol, elb: elbProtocol };

/** The service a request is for: by its `Version` first, then by its signing scope, as AWS front ends do. */
export function protocolOf(
  version: string | null,
  signingName: string | undefined,
): ServiceProtocol | undefined {
  for (const p of [ec2Protocol, elbProtocol]) if (version === p.version) return p;
  if (version) return undefined;
  for (const p of [ec2Protocol, elbProtocol]) if (signingName === p.signingName) return p;
  return undefined;
}
