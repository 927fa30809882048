import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@aws-trpc/bench',
    include: ['test/**/*.test.ts'],
    // The smoke run starts every suite in its own process; on a busy 2-core machine that takes minutes.
    testTimeout: 900_000,
  },
});
