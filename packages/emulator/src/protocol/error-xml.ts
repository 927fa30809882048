import { queryErrorCode } from './error-shape';
import type { ServiceProtocol } from './service-protocol';
import { xmlEscape } from './xml-escape';

/**
 * The error envelope of each protocol.
 * EC2: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html#api-error-response
 * AWS Query: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
 */
export function serializeError(
  protocol: ServiceProtocol,
  error: { code: string; message: string; status: number },
  requestId: string,
): string {
  const code = xmlEscape(queryErrorCode(protocol, error.code));
  const message = xmlEscape(error.message);
  if (protocol.ec2Query) {
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>' +
      `<Code>${code}</Code><Message>${message}</Message>` +
      `</Error></Errors><RequestID>${requestId}</RequestID></Response>`
    );
  }
  // AWS Query says who is at fault: Sender for 4xx, Receiver for 5xx.
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${protocol.xmlns}"><Error>` +
    `<Type>${type}</Type><Code>${code}</Code><Message>${message}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
