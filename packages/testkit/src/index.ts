/**
 * @aws-trpc/testkit: the emulator + gateway + client stack in one call, and the small SSE helpers the
 * tests and benchmarks share. Private: it exists for this repository's tests, demo and benchmarks.
 */

export { describeInstancesOutput } from './describe-instances-fixture';
export { FetchEventSource } from './fetch-event-source';
export { installPacked, packClient } from './packed-client';
export {
  type RedisServer,
  redisInstalled,
  redisMissing,
  requireRedisInCi,
  startRedisServer,
} from './redis-server';
export { type Replica, type ReplicaOptions, startReplica, startReplicas } from './replicas';
export { isData, isPing, openSse, type SseFrameRead, type SseReader } from './sse-reader';
export { type Stack, type StackOptions, startStack, type Upstream } from './stack';
