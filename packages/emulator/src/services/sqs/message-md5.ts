import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

export const md5Hex = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * MD5OfMessageAttributes: the attributes sorted by name, each encoded as length-prefixed (4-byte
 * big-endian) name, data type and value, with a transport byte (1 for String and Number, 2 for
 * Binary) before the value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const hash = createHash('md5');
  const field = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    const type = value.DataType ?? '';
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(type, 'utf8'));
    if (type.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      field(value.BinaryValue ?? new Uint8Array());
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
