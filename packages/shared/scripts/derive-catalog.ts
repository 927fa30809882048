/**
 * Derives the operation catalog from the installed AWS SDK packages. `pnpm codegen` writes its result to
 * src/catalog.generated.ts, and test/catalog.test.ts re-runs it to prove the checked-in file is current.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NormalizedSchema } from '@smithy/core/schema';
import type {
  ErrorCodeEntry,
  OperationEntry,
  OperationKind,
  PaginatorEntry,
  ServiceCatalog,
  ServiceName,
  WaiterEntry,
} from '../src/catalog-types';
import { inputSchema, operationSchema, outputSchema, sdkModule, sdkPackages } from '../src/sdk';

/** The package, the module and the aggregated client class (`EC2`) of a service's SDK. */
function sdk(service: ServiceName) {
  const module = sdkModule(service);
  const client = module[service === 'ec2' ? 'EC2' : 'ElasticLoadBalancing'] as { prototype: object };
  return { package: sdkPackages[service], module, client };
}

const READ_ONLY_VERB = /^(Describe|Get|List|Search|Validate)[A-Z]/;

/** Secrets without the `sensitive` trait in the SDK's model (EC2 marks only a few members sensitive). */
const SECRET_MEMBER_NAMES = new Set([
  'UserData',
  'KeyMaterial',
  'PublicKeyMaterial',
  'PrivateKey',
  'Password',
  'PasswordData',
  'PreSharedKey',
  'SecretAccessKey',
  'SessionToken',
  'AuthKey',
]);

/** The SDK's aggregated client method name (see @smithy/core `createAggregatedClient`). */
export function procedureName(operation: string): string {
  return operation[0]!.toLowerCase() + operation.slice(1);
}

export function operationKind(operation: string): OperationKind {
  return READ_ONLY_VERB.test(operation) ? 'query' : 'mutation';
}

function sdkDir(pkg: string): string {
  const require = createRequire(import.meta.url);
  // `main` is dist-cjs/index.js; the per-file ES build beside it keeps one waiter/paginator per file.
  return join(dirname(require.resolve(pkg)), '..');
}

function sdkVersion(pkg: string): string {
  const json = JSON.parse(readFileSync(join(sdkDir(pkg), 'package.json'), 'utf8')) as { version: string };
  return json.version;
}

function operationNames(service: ServiceName): string[] {
  const { module, client } = sdk(service);
  const names: string[] = [];
  for (const key of Object.keys(module)) {
    const match = /^([A-Z]\w*)Command$/.exec(key);
    if (!match || typeof module[key] !== 'function') continue;
    const operation = match[1]!;
    if (!operationSchema(service, operation)) throw new Error(`${service}: ${key} has no operation schema`);
    const method = (client.prototype as Record<string, unknown>)[procedureName(operation)];
    if (typeof method !== 'function')
      throw new Error(`${service}: aggregated client lacks ${procedureName(operation)}`);
    names.push(operation);
  }
  return names.sort();
}

function sourceFiles(pkg: string, folder: string): string[] {
  const dir = join(sdkDir(pkg), 'dist-es', folder);
  return readdirSync(dir)
    .filter((file) => file !== 'index.js' && file !== 'Interfaces.js' && file.endsWith('.js'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'));
}

function deriveWaiters(service: ServiceName): WaiterEntry[] {
  const { package: pkg, module } = sdk(service);
  const waiters: WaiterEntry[] = [];
  for (const source of sourceFiles(pkg, 'waiters')) {
    const name = /export const waitUntil(\w+)\s*=/.exec(source)?.[1];
    const operations = new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!));
    if (!name || operations.size !== 1) throw new Error(`${service}: unexpected waiter source`);
    if (typeof module[`waitUntil${name}`] !== 'function')
      throw new Error(`${service}: waitUntil${name} not exported`);
    waiters.push({ name, operation: [...operations][0]! });
  }
  return waiters.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function derivePaginators(service: ServiceName): Map<string, PaginatorEntry> {
  const { package: pkg, module } = sdk(service);
  const paginators = new Map<string, PaginatorEntry>();
  const call = /createPaginator\(\s*\w+,\s*(\w+)Command,\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)"\s*\)/;
  for (const source of sourceFiles(pkg, 'pagination')) {
    const match = call.exec(source);
    if (!match) throw new Error(`${service}: unexpected paginator source`);
    const [, operation, inputToken, outputToken, pageSize] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (typeof module[`paginate${operation}`] !== 'function')
      throw new Error(`${service}: paginate${operation} missing`);
    const lists = [...outputSchema(service, operation).structIterator()]
      .filter(([name, member]) => name !== outputToken && member.isListSchema())
      .map(([name]) => name);
    paginators.set(operation, {
      inputToken,
      outputToken,
      ...(pageSize ? { pageSize } : {}),
      ...(lists.length === 1 ? { items: lists[0]! } : {}),
    });
  }
  return paginators;
}

function idempotencyTokenMember(input: NormalizedSchema): string | undefined {
  for (const [name, member] of input.structIterator()) if (member.isIdempotencyToken()) return name;
  return undefined;
}

/** Member names anywhere under `schema` that hold secrets. Bounded by the visited set (schemas recurse). */
function collectSecrets(schema: NormalizedSchema, found: Set<string>, visited: Set<unknown>): void {
  const raw = schema.getSchema();
  if (typeof raw === 'object' && raw !== null) {
    if (visited.has(raw)) return;
    visited.add(raw);
  }
  if (schema.isStructSchema()) {
    for (const [name, member] of schema.structIterator()) {
      if (member.getMergedTraits().sensitive || SECRET_MEMBER_NAMES.has(name)) found.add(name);
      collectSecrets(member, found, visited);
    }
  } else if (schema.isListSchema() || schema.isMapSchema()) {
    collectSecrets(schema.getValueSchema(), found, visited);
  }
}

function deriveErrors(service: ServiceName): ErrorCodeEntry[] {
  const { module } = sdk(service);
  const errors: ErrorCodeEntry[] = [];
  for (const [key, value] of Object.entries(module)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== -3) continue;
    const traits = value[3] as { awsQueryError?: [string, number]; httpError?: number } | 0;
    const exception = value[2] as string;
    if (traits === 0) continue; // the service's base exception carries no code
    const [code, httpStatus] = traits.awsQueryError ?? [exception, traits.httpError ?? 400];
    errors.push({ code, httpStatus, exception });
  }
  return errors.sort((a, b) => (a.code < b.code ? -1 : 1));
}

export function deriveServiceCatalog(service: ServiceName): ServiceCatalog {
  const { package: pkg } = sdk(service);
  const waiters = deriveWaiters(service);
  const paginators = derivePaginators(service);
  const operations = operationNames(service).map((operation): OperationEntry => {
    const input = inputSchema(service, operation);
    const secrets = new Set<string>();
    const visited = new Set<unknown>();
    collectSecrets(input, secrets, visited);
    collectSecrets(outputSchema(service, operation), secrets, visited);
    const opWaiters = waiters.filter((w) => w.operation === operation).map((w) => w.name);
    const paginator = paginators.get(operation);
    const idempotencyToken = idempotencyTokenMember(input);
    return {
      operation,
      procedure: procedureName(operation),
      kind: operationKind(operation),
      ...(opWaiters.length ? { waiters: opWaiters } : {}),
      ...(paginator ? { paginator } : {}),
      ...(idempotencyToken ? { idempotencyToken } : {}),
      ...(secrets.size ? { secrets: [...secrets].sort() } : {}),
    };
  });
  return {
    service,
    sdk: { package: pkg, version: sdkVersion(pkg) },
    operations,
    waiters,
    errors: deriveErrors(service),
  };
}

export function deriveCatalog(): Record<ServiceName, ServiceCatalog> {
  return { ec2: deriveServiceCatalog('ec2'), elb: deriveServiceCatalog('elb') };
}
