import { type OperationSchema, operationNames, operationSchema } from '@aws-trpc/shared/sdk';
import type { ServiceName } from '../core/types';

export type { OperationSchema };

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

function protocolFor(
  service: ServiceName,
  fixed: Pick<ServiceProtocol, 'version' | 'signingName' | 'xmlns' | 'ec2Query'>,
): ServiceProtocol {
  return {
    service,
    ...fixed,
    operation: (action) => operationSchema(service, action),
    operationNames: () => operationNames(service),
  };
}

export const ec2Protocol: ServiceProtocol = protocolFor('ec2', {
  version: '2016-11-15',
  signingName: 'ec2',
  xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  ec2Query: true,
});

export const elbProtocol: ServiceProtocol = protocolFor('elb', {
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
