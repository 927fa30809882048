import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AwsError } from './core/errors';
import { invoke } from './invoke';
import { parseJsonInput } from './protocol/json-input';
import { serializeJsonError, serializeJsonOutput } from './protocol/json-output';
import { jsonTarget } from './protocol/service-protocol';
import type { EmulatorState } from './server';

/** Answers an AWS JSON request on `res`. */
export async function serveJson(
  state: EmulatorState,
  res: ServerResponse,
  target: string,
  body: string,
  request: { regionName: string; endpoint?: string | undefined; signal?: AbortSignal },
): Promise<void> {
  const requestId = randomUUID();
  const answer = await answerJson(state, target, body, { ...request, requestId });
  const bytes = Buffer.from(answer.body);
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': bytes.length,
    'x-amzn-requestid': requestId,
  });
  res.end(bytes);
}

export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * An AWS JSON 1.0/1.1 request (SQS, EventBridge): `POST /` with `x-amz-target: <Prefix>.<Action>` and a
 * JSON body; the answer is JSON, or `__type` + `message` with the error's status.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
export async function answerJson(
  state: EmulatorState,
  target: string,
  body: string,
  request: { regionName: string; requestId: string; endpoint?: string | undefined; signal?: AbortSignal },
): Promise<JsonAnswer> {
  const found = jsonTarget(target);
  if (!found) {
    // No service to answer for: the shape AWS's front end gives an unknown target.
    return {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown target ${target}` }),
    };
  }
  const { protocol, action } = found;
  const contentType = `application/x-amz-json-${protocol.json!.version}`;
  try {
    state.requests.record(protocol.service, action);
    const { operation, output } = await invoke(state, {
      protocol,
      action,
      ...request,
      readInput: (op) => parseJsonInput(protocol, op, body),
    });
    return {
      status: 200,
      headers: { 'content-type': contentType },
      body: serializeJsonOutput(protocol, operation, output),
    };
  } catch (error) {
    if (!(error instanceof AwsError))
      state.log(`${protocol.service}:${action} failed (request ${request.requestId})`, error);
    const fields =
      error instanceof AwsError
        ? { code: error.code, message: error.message, status: error.status }
        : { code: 'InternalFailure', message: 'An internal error has occurred', status: 500 };
    const { body: errorBody, headers } = serializeJsonError(protocol, fields);
    return { status: fields.status, headers: { 'content-type': contentType, ...headers }, body: errorBody };
  }
}
