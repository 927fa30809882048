/**
 * An error the emulator answers the way AWS does: a code from the service's API reference, its
 * message, and the HTTP status. The protocol layer writes it in each protocol's envelope.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}
