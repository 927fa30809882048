import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@aws-trpc/emulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every file starts its own emulator; module state is registration only, so files can share the
    // module graph (one import of the SDK and the families per worker instead of one per file).
    isolate: false,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
