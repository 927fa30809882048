/** The part of the SDK's CapturedRequest these tests read. */
export interface CapturedRequest {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An SDK `requestHandler` that keeps the request the SDK serialized and answers with a body we
 * choose: the SDK's real serializer and deserializer run, with no network in between.
 */
export function capturingHandler(respond: (request: CapturedRequest) => { status?: number; body: string }) {
  const captured: CapturedRequest[] = [];
  return {
    captured,
    handler: {
      async handle(request: CapturedRequest) {
        captured.push(request);
        const { status = 200, body } = respond(request);
        return {
          response: {
            statusCode: status,
            reason: undefined,
            headers: { 'content-type': 'text/xml' },
            body: new TextEncoder().encode(body),
          },
        };
      },
    },
  };
}
