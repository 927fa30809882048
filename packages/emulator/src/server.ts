import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Control, ControlledState } from './control';
import { controlRoute } from './control-routes';
import { AwsError } from './core/errors';
import type { Region, RequestContext } from './core/types';
import { serializeError } from './protocol/error-xml';
import { parseQueryInput } from './protocol/query-input';
import { ec2Protocol, protocolOf, type ServiceProtocol } from './protocol/service-protocol';
import { serializeOutput } from './protocol/xml-output';

/** The emulator's state as the HTTP layer sees it. */
export interface EmulatorState extends ControlledState {
  region(name: string): Region;
  log(message: string, error?: unknown): void;
}

const maxBodyBytes = 16 * 1024 * 1024;
const defaultRegion = 'us-east-1';

/**
 * One listener for both services and the control API. AWS requests are told apart the way AWS's
 * front end does: the form's `Version` (2016-11-15 is EC2, 2012-06-01 is ELB), else the SigV4
 * credential scope. Any credentials are accepted; the scope's region selects the state.
 */
export function createRequestListener(state: EmulatorState, control: Control): RequestListener {
  return (req, res) => {
    handle(state, control, req, res).catch((error: unknown) => {
      state.log('request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  };
}

async function handle(state: EmulatorState, control: Control, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const body = await readBody(req);
  if (body === undefined) return sendJson(res, 413, { error: `request body over ${maxBodyBytes} bytes` });
  if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
    const answer = await controlRoute(
      control,
      req.method ?? 'GET',
      url.pathname.slice('/_emulator'.length),
      body,
    );
    return sendJson(res, answer.status, answer.body);
  }
  // Query protocols POST a form; GET with the same parameters in the query string is accepted too.
  const params = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  const scope = signingScope(req.headers.authorization ?? params.get('X-Amz-Credential') ?? undefined);
  const requestId = randomUUID();
  const protocol = protocolOf(params.get('Version'), scope?.service);
  const action = params.get('Action');
  if (!protocol) {
    if (!action && req.method === 'GET' && url.pathname === '/') {
      return sendJson(res, 200, {
        emulator: 'aws-trpc',
        services: ['ec2', 'elb'],
        control: '/_emulator/coverage',
      });
    }
    const version = params.get('Version');
    const error = version
      ? new AwsError('NoSuchVersion', `The requested version (${version}) of service is not supported.`)
      : new AwsError('MissingParameter', 'The request must contain the parameter Version');
    return sendXml(res, error.status, requestId, serializeError(ec2Protocol, errorFields(error), requestId));
  }
  try {
    if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action');
    state.requests.record(protocol.service, action);
    const xml = await dispatch(state, protocol, action, params, scope?.region ?? defaultRegion, requestId);
    return sendXml(res, 200, requestId, xml);
  } catch (error) {
    if (!(error instanceof AwsError))
      state.log(`${protocol.service}:${action} failed (request ${requestId})`, error);
    const fields =
      error instanceof AwsError
        ? errorFields(error)
        : { code: 'InternalError', message: 'An internal error has occurred', status: 500 };
    return sendXml(res, fields.status, requestId, serializeError(protocol, fields, requestId));
  }
}

async function dispatch(
  state: EmulatorState,
  protocol: ServiceProtocol,
  action: string,
  params: URLSearchParams,
  regionName: string,
  requestId: string,
): Promise<string> {
  const service = protocol.service;
  const latency = state.faults.latency(service, action);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  const operation = protocol.operation(action);
  if (!operation)
    throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
  const fault = state.faults.take(service, action);
  if (fault) throw fault;
  const handlers = state.handlers[service];
  const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
  if (!handler) {
    // A 4xx client fault, so SDKs do not retry it.
    throw new AwsError(
      'UnsupportedOperation',
      `The aws-trpc emulator does not implement ${service}:${action}. GET /_emulator/coverage lists what it implements.`,
    );
  }
  const input = parseQueryInput(protocol, operation, params);
  const ctx: RequestContext = {
    service,
    action,
    region: state.region(regionName),
    requestId,
    clock: state.clock,
    delays: state.delays,
    regionNamed: (name) => state.region(name),
  };
  const output = await handler(input, ctx);
  return serializeOutput(protocol, operation, output, requestId);
}

function errorFields(error: AwsError) {
  return { code: error.code, message: error.message, status: error.status };
}

interface SigningScope {
  region: string;
  service: string;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, …` → region and service. */
export function signingScope(authorization: string | undefined): SigningScope | undefined {
  if (!authorization) return undefined;
  const m = /(?:Credential=)?[^/\s,=]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(authorization);
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendXml(res: ServerResponse, status: number, requestId: string, xml: string): void {
  // Encoded once: byteLength and then end(string) would each walk a 4 MB DescribeInstances answer.
  const body = Buffer.from(xml);
  res.writeHead(status, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': body.length,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
