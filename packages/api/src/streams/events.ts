// Until @aws-trpc/shared's index exports events.ts; then this becomes `export type * from '@aws-trpc/shared'`.
export type * from '../../../shared/src/events';
