import { defineConfig } from 'vitest/config';

// `npm run test:faults`: crash, cluster, chaos and hostile-input runs with real processes. Same pool rules as the main
// suite (2 cores shared: at most two files at once); longer timeouts because each file kills and restarts things.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
