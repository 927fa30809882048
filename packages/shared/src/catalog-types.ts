/** The two services the gateway drives. ELB is Classic Elastic Load Balancing (API 2012-06-01). */
export type ServiceName = 'ec2' | 'elb';

/**
 * Read-only operations are tRPC queries, everything else is a mutation.
 * The rule (applied by codegen to the operation name): the verbs Describe, Get, List, Search and
 * Validate are read-only. Export* is not: ExportImage and ExportTransitGatewayRoutes write to S3.
 */
export type OperationKind = 'query' | 'mutation';

/** How the SDK's `paginateX` walks an operation (the arguments of its `createPaginator` call). */
export interface PaginatorEntry {
  /** input member carrying the token, e.g. 'NextToken' (ELB: 'Marker') */
  readonly inputToken: string;
  /** output member carrying the next token, e.g. 'NextToken' (ELB: 'NextMarker') */
  readonly outputToken: string;
  /** input member for the page size, e.g. 'MaxResults'; absent when the SDK names none */
  readonly pageSize?: string;
  /** the output's one list member besides the token, e.g. 'Reservations'; absent when ambiguous */
  readonly items?: string;
}

export interface OperationEntry {
  /** AWS's operation name, e.g. 'RunInstances' */
  readonly operation: string;
  /** the SDK's aggregated client method name, e.g. 'runInstances' */
  readonly procedure: string;
  readonly kind: OperationKind;
  /** names of the SDK waiters polling this operation, e.g. ['InstanceExists', 'InstanceRunning'] */
  readonly waiters?: readonly string[];
  readonly paginator?: PaginatorEntry;
  /** input member with the `idempotencyToken` trait, e.g. 'ClientToken' */
  readonly idempotencyToken?: string;
  /** member names (any depth, input or output) to redact in logs: `sensitive` trait or a known secret name */
  readonly secrets?: readonly string[];
}

export interface WaiterEntry {
  /** e.g. 'InstanceRunning' for the SDK's `waitUntilInstanceRunning` */
  readonly name: string;
  readonly operation: string;
}

/** An error code from the SDK's error schemas (`awsQueryError` trait). */
export interface ErrorCodeEntry {
  readonly code: string;
  readonly httpStatus: number;
  /** the SDK's exception class name */
  readonly exception: string;
}

export interface ServiceCatalog {
  readonly service: ServiceName;
  /** the SDK package and the version the catalog was generated from */
  readonly sdk: { readonly package: string; readonly version: string };
  readonly operations: readonly OperationEntry[];
  readonly waiters: readonly WaiterEntry[];
  readonly errors: readonly ErrorCodeEntry[];
}
