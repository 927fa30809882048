/** Exit code 2: the command line or the environment is wrong (as with most Unix tools). */
export function usageError(message: string, help: string): never {
  process.stderr.write(`aws-trpc: ${message}\n\n${help}`);
  process.exit(2);
}
