/**
 * @aws-trpc/emulator: a local EC2 (2016-11-15) and Classic ELB (2012-06-01) endpoint that speaks the
 * real wire protocols, for the unmodified AWS SDK and CLI; with SQS and EventBridge, through which it
 * sends EC2's instance state-change events.
 */
import { type Emulator, type EmulatorOptions, startEmulator as start } from './emulator';

export type { Control, Coverage, FailOptions, FaultTarget, RequestCounts, ServiceCoverage } from './control';
export type { DeliveryFault, EventStats, EventsControl, QueueSnapshot, SqsControl } from './control-events';
export type { Clock } from './core/clock';
export { AwsError } from './core/errors';
export type { Delays, ServiceName } from './core/types';
export { emulatorCredentials } from './credentials';
export type { Emulator, EmulatorOptions } from './emulator';

/** Starts the emulator on `host:port` (default 127.0.0.1, a free port) and resolves once it listens. */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return start(options);
}
