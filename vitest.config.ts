import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes, not worker threads: each test file gets a fresh copy of
    // the addon and of process.env (GRADSCOPE_ISA / GRADSCOPE_THREADS are read at load).
    pool: 'forks',
    testTimeout: 60_000,
  },
});
