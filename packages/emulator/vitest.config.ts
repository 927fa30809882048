import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@aws-trpc/emulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files share a worker's module cache: each file starts its own emulator (no state is shared
    // through modules), and loading the EC2 SDK once per worker instead of once per file saves most of
    // the suite's time.
    isolate: false,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
