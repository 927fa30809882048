import { onInstanceStateChange } from './onInstanceStateChange';
import { ec2WaiterProcedures, elbWaiterProcedures } from './waiterProcedures';

export { createStreamRegistry, type StreamRegistry, type StreamRegistryOptions, streamsOf } from './registry';
export { waiterDefaults } from './runWaiter';
export { realScheduler, type Scheduler, type VirtualScheduler, virtualScheduler } from './scheduler';
export type { StateSource } from './stateSource';

/** Spread into the `ec2` router: the live instance-state stream and one subscription per SDK waiter. */
export const ec2StreamProcedures = { onInstanceStateChange, ...ec2WaiterProcedures };

/** Spread into the `elb` router: one subscription per SDK waiter. */
export const elbStreamProcedures = { ...elbWaiterProcedures };
