/**
 * The one place that reads the installed AWS SDK packages as data: the module of each service, its
 * operation schemas (`X$`), their input and output structures, and the members of a structure. The
 * validators, the gateway's operations and waiters, the codegen, the emulator's wire layer and the
 * client's resource attributes all read the SDK through these functions.
 *
 * Facts about the schemas (checked against @aws-sdk/client-ec2 3.1169):
 * - an operation schema is `[9, namespace, name, traits, input, output]`; input and output may be thunks;
 * - a structure schema is `[3, namespace, name, traits, memberNames, memberSchemas, requiredCount?]`,
 *   and its first `requiredCount` members are the required ones. `NormalizedSchema` does not expose
 *   the count, so `structMembers` reads it from the tuple;
 * - an error schema is `[-3, namespace, name, traits, …]`; its traits carry `error`, `httpError` and,
 *   for awsQueryCompatible services such as SQS, `awsQueryError: [code, status]`.
 */
import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { NormalizedSchema } from '@smithy/core/schema';
import type { ServiceName } from './catalog-types';

export type SdkModule = Readonly<Record<string, unknown>>;

/**
 * Every SDK whose schemas are read here. The gateway's catalog is EC2 and ELB (`ServiceName`); SQS
 * and EventBridge are here for their schemas only (the emulator's wire layer, the push source).
 */
export type SdkService = ServiceName | 'sqs' | 'events';

/** The npm package and the loaded module of each service's SDK client. */
export const sdkPackages: Readonly<Record<SdkService, string>> = {
  ec2: '@aws-sdk/client-ec2',
  elb: '@aws-sdk/client-elastic-load-balancing',
  sqs: '@aws-sdk/client-sqs',
  events: '@aws-sdk/client-eventbridge',
};

/**
 * EC2 and ELB are imported statically. SQS and EventBridge are loaded on first use: the client's
 * bundle and the gateway's build include this file, and must neither resolve nor carry SDKs that only
 * the emulator (and a push source) ask about. The packages have no `exports` map, so `import` and
 * `require` load the same module.
 */
const loaded: Partial<Record<SdkService, SdkModule>> = { ec2: ec2Sdk, elb: elbSdk };

export function sdkModule(service: SdkService): SdkModule {
  let mod = loaded[service];
  if (!mod) {
    const { createRequire } = process.getBuiltinModule('node:module');
    mod = createRequire(import.meta.url)(sdkPackages[service]) as SdkModule;
    loaded[service] = mod;
  }
  return mod;
}

/** An operation schema as the SDK exports it (`RunInstances$`). */
export type OperationSchema = readonly [9, string, string, unknown, unknown, unknown];

function isOperationSchema(value: unknown): value is OperationSchema {
  return Array.isArray(value) && value[0] === 9 && typeof value[2] === 'string';
}

/**
 * The schema of an operation, by its AWS name, or undefined when the SDK has no such operation.
 * Guards against prototype keys and shape schemas (`Instance$` is a structure, not an operation).
 */
export function operationSchema(service: SdkService, operation: string): OperationSchema | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(operation)) return undefined;
  const candidate = sdkModule(service)[`${operation}$`];
  return isOperationSchema(candidate) && candidate[2] === operation ? candidate : undefined;
}

const names = new Map<SdkService, readonly string[]>();

/** Every operation the SDK has a schema for, sorted (the catalog is derived from this and the commands). */
export function operationNames(service: SdkService): readonly string[] {
  let list = names.get(service);
  if (!list) {
    list = Object.values(sdkModule(service))
      .filter(isOperationSchema)
      .map((op) => op[2])
      .sort();
    names.set(service, list);
  }
  return list;
}

function requireOperation(service: SdkService, operation: string): OperationSchema {
  const schema = operationSchema(service, operation);
  if (!schema) throw new Error(`the installed ${sdkPackages[service]} has no operation ${operation}`);
  return schema;
}

/** The input structure of an operation (`RunInstancesRequest`). */
export function inputSchema(service: SdkService, operation: string | OperationSchema): NormalizedSchema {
  const op = typeof operation === 'string' ? requireOperation(service, operation) : operation;
  return NormalizedSchema.of(op[4] as never);
}

/** The output structure of an operation (`RunInstancesResult`, EC2's `Reservation`). */
export function outputSchema(service: SdkService, operation: string | OperationSchema): NormalizedSchema {
  const op = typeof operation === 'string' ? requireOperation(service, operation) : operation;
  return NormalizedSchema.of(op[5] as never);
}

/** Any command class of either SDK. */
export type CommandClass = new (input: any) => { readonly input: unknown };

/** The SDK's `XCommand` class for an operation, looked up by name: the SDK is the list, not us. */
export function commandClass(service: SdkService, operation: string): CommandClass {
  const Command = sdkModule(service)[`${operation}Command`];
  if (typeof Command !== 'function') {
    throw new Error(`the installed ${sdkPackages[service]} has no ${operation}Command; run pnpm codegen`);
  }
  return Command as CommandClass;
}

export interface StructMember {
  readonly name: string;
  readonly schema: NormalizedSchema;
  /** Among the structure's first `requiredCount` members. */
  readonly required: boolean;
}

const memberCache = new WeakMap<object, readonly StructMember[]>();

/** The members of a structure schema, in the SDK's order, with the required flag read from the tuple. */
export function structMembers(schema: NormalizedSchema): readonly StructMember[] {
  const tuple = schema.getSchema() as unknown as unknown[];
  const cached = typeof tuple === 'object' && tuple !== null ? memberCache.get(tuple) : undefined;
  if (cached) return cached;
  const requiredCount = typeof tuple[6] === 'number' ? tuple[6] : 0;
  const out: StructMember[] = [];
  let i = 0;
  for (const [name, member] of schema.structIterator())
    out.push({ name, schema: member, required: i++ < requiredCount });
  if (typeof tuple === 'object' && tuple !== null) memberCache.set(tuple, out);
  return out;
}

/**
 * The member names of a structure schema as exported by the SDK (`Instance$`), without walking it:
 * the tuple's fifth element. Cheap enough for defining resource getters at import time.
 */
export function memberNames(structure: unknown): readonly string[] {
  const tuple = structure as readonly unknown[];
  if (!Array.isArray(tuple) || tuple[0] !== 3 || !Array.isArray(tuple[4])) {
    throw new TypeError('expected an SDK structure schema such as Instance$');
  }
  return tuple[4] as readonly string[];
}

/** The SDK's `waitUntilX` function of a waiter, by the waiter's name (`InstanceRunning`). */
export function sdkWaitUntil(service: SdkService, waiter: string): unknown {
  return sdkModule(service)[`waitUntil${waiter}`];
}

/** An error as the SDK's schema declares it (`QueueDoesNotExist$`): where it lives and its wire traits. */
export interface ErrorShape {
  /** The Smithy namespace, for a JSON `__type` such as `com.amazonaws.sqs#QueueDoesNotExist`. */
  readonly namespace: string;
  readonly name: string;
  readonly fault: 'client' | 'server';
  /** The HTTP status the model gives it, if any. */
  readonly httpStatus?: number;
  /** `awsQueryError`: the code and status an awsQueryCompatible service answers in its query form. */
  readonly queryCode?: string;
}

/**
 * The schema of a modeled error by its shape name, or undefined. Error schemas are
 * `[-3, namespace, name, traits, memberNames, memberSchemas]`.
 */
export function errorShape(service: SdkService, name: string): ErrorShape | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) return undefined;
  const tuple = sdkModule(service)[`${name}$`];
  if (!Array.isArray(tuple) || tuple[0] !== -3 || tuple[2] !== name) return undefined;
  const traits = (tuple[3] ?? {}) as { error?: string; httpError?: number; awsQueryError?: [string, number] };
  return {
    namespace: tuple[1] as string,
    name,
    fault: traits.error === 'server' ? 'server' : 'client',
    httpStatus: traits.httpError,
    queryCode: traits.awsQueryError?.[0],
  };
}

const waiterMinDelays = new Map<string, Promise<number>>();

/**
 * AWS's minimum delay between a waiter's attempts, in seconds: the `minDelay` the SDK's `waitUntilX`
 * sets for that waiter (15 for InstanceRunning, 5 for InstanceExists, …). The generated function keeps
 * it in a local `serviceDefaults`; it is read by handing the SDK a configuration whose `maxDelay` is
 * below any minimum, which `createWaiter` refuses before any call, naming the waiter's `minDelay`.
 * (@smithy/core util-waiter `validateWaiterOptions`; test/sdk.test.ts pins the answers.)
 */
export function sdkWaiterMinDelaySeconds(service: ServiceName, waiter: string): Promise<number> {
  const key = `${service}:${waiter}`;
  let found = waiterMinDelays.get(key);
  if (!found) {
    found = readMinDelay(service, waiter);
    waiterMinDelays.set(key, found);
  }
  return found;
}

async function readMinDelay(service: ServiceName, waiter: string): Promise<number> {
  const waitUntil = sdkWaitUntil(service, waiter);
  if (typeof waitUntil !== 'function') throw new Error(`the SDK has no waiter ${service}:${waiter}`);
  const noClient = {
    send: () => Promise.reject(new Error('the SDK waiter sent a request while its options were checked')),
  };
  try {
    await waitUntil(
      { client: noClient, maxWaitTime: 3_600, maxDelay: 1e-9, abortSignal: { aborted: true } },
      {},
    );
  } catch (error) {
    const m = /minDelay \[([\d.]+)\]/.exec(error instanceof Error ? error.message : '');
    if (m) return Number(m[1]);
    throw error;
  }
  throw new Error(`the SDK waiter ${service}:${waiter} accepted a maxDelay below every minimum`);
}
