import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // Integration tests drive real daemons on a 2-core machine: a test that fails is run again
    // (up to twice) before it counts as failed; the retry is reported, so flakiness stays visible.
    retry: 2,
  },
});
