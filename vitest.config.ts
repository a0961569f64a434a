import { defineConfig } from 'vitest/config';

// Real processes on a 2-core machine: few files at once, generous timeouts, never retries that hide flakes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'core/**/*.test.ts', 'plugins/**/*.test.ts', 'cli/**/*.test.ts'],
    exclude: ['test/faults/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
