// Until @aws-trpc/shared's index exports events.ts (as api and client do meanwhile).
export type * from '../../../packages/shared/src/events';
