/**
 * Credentials for talking to the emulator. It does not check signatures, but the SDK signs every
 * request, so a client needs some; these make the emulator's traffic easy to spot in a log.
 */
export const emulatorCredentials = {
  accessKeyId: 'AKIAEMULATOR',
  secretAccessKey: 'emulator-secret',
} as const;
