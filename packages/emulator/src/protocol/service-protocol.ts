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

/**
 * The EC2 API versions AWS still serves besides 2016-11-15 (its published WSDL versions). A request
 * that names one is answered with today's behaviour in that version's namespace.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
 */
const olderEc2Versions = [
  '2006-06-26',
  '2006-10-01',
  '2007-01-03',
  '2007-01-19',
  '2007-03-01',
  '2007-08-29',
  '2008-02-01',
  '2008-05-05',
  '2008-08-08',
  '2008-12-01',
  '2009-03-01',
  '2009-04-04',
  '2009-07-15',
  '2009-08-15',
  '2009-10-31',
  '2009-11-30',
  '2010-06-15',
  '2010-08-31',
  '2010-11-15',
  '2011-01-01',
  '2011-02-28',
  '2011-05-15',
  '2011-07-15',
  '2011-11-01',
  '2011-12-01',
  '2011-12-15',
  '2012-03-01',
  '2012-04-01',
  '2012-05-01',
  '2012-06-01',
  '2012-06-15',
  '2012-07-20',
  '2012-08-15',
  '2012-10-01',
  '2012-12-01',
  '2013-02-01',
  '2013-06-15',
  '2013-07-15',
  '2013-08-15',
  '2013-10-01',
  '2013-10-15',
  '2014-02-01',
  '2014-05-01',
  '2014-06-15',
  '2014-09-01',
  '2014-10-01',
  '2015-03-01',
  '2015-04-15',
  '2015-10-01',
  '2016-04-01',
  '2016-09-15',
];

const olderEc2 = new Map(
  olderEc2Versions.map((version): [string, ServiceProtocol] => [
    version,
    { ...ec2Protocol, version, xmlns: `http://ec2.amazonaws.com/doc/${version}/` },
  ]),
);

const queryProtocols = Object.values(protocols).filter((p) => p.query);

/** The service a query form is for: by its `Version` first, then by its signing scope, as AWS front ends do. */
export function protocolOf(
  version: string | null,
  signingName: string | undefined,
): ServiceProtocol | undefined {
  const older = version ? olderEc2.get(version) : undefined;
  // ELB's 2012-06-01 is also an EC2 version: the signing scope tells them apart.
  if (older && (version !== elbProtocol.version || signingName === ec2Protocol.signingName)) return older;
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
