export { type Catalog, catalog, findOperation, type OperationName, type ProcedureName } from './catalog';
export type {
  ErrorCodeEntry,
  OperationEntry,
  OperationKind,
  PaginatorEntry,
  ServiceCatalog,
  ServiceName,
  WaiterEntry,
} from './catalog-types';
export {
  type AwsErrorClassification,
  type AwsErrorCode,
  type AwsErrorData,
  awsErrorData,
  classifyAwsError,
  type Ec2ErrorCode,
  type ElbErrorCode,
  type MappedTrpcCode,
  mapAwsErrorToTrpcCode,
} from './errors';
export type * from './events';
export { defaultMaxBatchSize } from './limits';
export { defaultMaxListLength, documentedListLimit, documentedListLimits } from './list-limits';
export { deserialize, serialize, transformer, type WirePayload } from './transformer';
export type { Ec2Ops, ElbOps, OperationTypes, ServiceOps } from './types';
export {
  InputValidationError,
  type InputValidator,
  inputValidator,
  type ValidationIssue,
  type ValidationOptions,
  type ValidationResult,
} from './validate';
