import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@aws-trpc/testkit',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
