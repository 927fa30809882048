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
  /** Served as a query form (EC2 Query / AWS Query); EventBridge speaks JSON only. */
  readonly query: boolean;
  /** AWS JSON 1.0 / 1.1, told apart by `x-amz-target: <targetPrefix>.<Action>`. */
  readonly json?: { readonly version: '1.0' | '1.1'; readonly targetPrefix: string };
  /**
   * awsQueryCompatible (SQS): errors carry their query code (the `awsQueryError` trait), in the query
   * form's `<Code>` and in JSON's `x-amzn-query-error` header.
   */
  readonly queryCompatible: boolean;
  operation(action: string): OperationSchema | undefined;
  /** Every operation the SDK knows for this service, sorted. */
  operationNames(): readonly string[];
}

function protocolFor(
  service: ServiceName,
  fixed: Pick<ServiceProtocol, 'version' | 'signingName' | 'xmlns' | 'ec2Query'> &
    Partial<Pick<ServiceProtocol, 'query' | 'json' | 'queryCompatible'>>,
): ServiceProtocol {
  return {
    service,
    query: true,
    queryCompatible: false,
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

/**
 * SQS: AWS JSON 1.0 for the SDK (v3.x since 2023), AWS Query for older clients such as the AWS CLI v2.9
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-faqs.html).
 */
export const sqsProtocol: ServiceProtocol = protocolFor('sqs', {
  version: '2012-11-05',
  signingName: 'sqs',
  xmlns: 'http://queue.amazonaws.com/doc/2012-11-05/',
  ec2Query: false,
  json: { version: '1.0', targetPrefix: 'AmazonSQS' },
  queryCompatible: true,
});

/** EventBridge (formerly CloudWatch Events) speaks AWS JSON 1.1 only. */
export const eventsProtocol: ServiceProtocol = protocolFor('events', {
  version: '2015-10-07',
  signingName: 'events',
  xmlns: '',
  ec2Query: false,
  query: false,
  json: { version: '1.1', targetPrefix: 'AWSEvents' },
});

export const protocols: Record<ServiceName, ServiceProtocol> = {
  ec2: ec2Protocol,
  elb: elbProtocol,
  sqs: sqsProtocol,
  events: eventsProtocol,
};

const queryProtocols = Object.values(protocols).filter((p) => p.query);

/** The service a query form is for: by its `Version` first, then by its signing scope, as AWS front ends do. */
export function protocolOf(
  version: string | null,
  signingName: string | undefined,
): ServiceProtocol | undefined {
  for (const p of queryProtocols) if (version === p.version) return p;
  if (version) return undefined;
  for (const p of queryProtocols) if (signingName === p.signingName) return p;
  return undefined;
}

/** The JSON service an `x-amz-target` names (`AmazonSQS.SendMessage`), and the action. */
export function jsonTarget(target: string): { protocol: ServiceProtocol; action: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot < 0) return undefined;
  const prefix = target.slice(0, dot);
  const protocol = Object.values(protocols).find((p) => p.json?.targetPrefix === prefix);
  return protocol && { protocol, action: target.slice(dot + 1) };
}
