import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,server,transfer-node,contract,launcher}/**/*.test.{ts,tsx}', '*.test.ts'],
    globalSetup: ['./server/test/postgres-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on this 2-core machine. Most server
    // and node tests wait on real processes, sockets and PostgreSQL rather than compute, so two
    // workers halve the run (one clean run of the whole suite: 759 s with one, 395 s with two).
    maxWorkers: 2,
  },
});
