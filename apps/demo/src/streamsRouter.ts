import type { Gateway } from '@aws-trpc/api';
import { ec2StreamProcedures, elbStreamProcedures } from './gatewayInternals';

/**
 * TODO(api): remove once router.ts merges the stream procedures (its "extension point").
 * Until then the demo registers `ec2.onInstanceStateChange` and the `waitUntil*` subscriptions on the
 * gateway's router itself, where tRPC looks procedures up by path (`_def.procedures`).
 */
export function withStreamProcedures(gateway: Gateway): void {
  const def = (gateway.router as unknown as { _def: { procedures: Record<string, unknown> } })._def;
  if (def.procedures['ec2.onInstanceStateChange']) return;
  const services = { ec2: ec2StreamProcedures, elb: elbStreamProcedures } as Record<
    string,
    Record<string, unknown>
  >;
  for (const [service, procedures] of Object.entries(services))
    for (const [name, procedure] of Object.entries(procedures))
      def.procedures[`${service}.${name}`] = procedure;
}
