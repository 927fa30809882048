export type {
  InstanceChangeEvent,
  InstanceResyncEvent,
  InstanceSnapshotEvent,
  InstanceStateEvent,
  InstanceStateName,
  InstanceStateRecord,
  StreamStatusEvent,
  WaiterEvent,
  WaiterObserved,
  WaiterOptions,
  WaiterProgressEvent,
  WaiterResultEvent,
} from '@aws-trpc/shared';
