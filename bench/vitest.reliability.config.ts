import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the real node under load and faults. Kept out of `npm test`'s vitest
// run (its include names src, server, transfer-node, contract, launcher) because it moves ~6 GB.
export default defineConfig({
  test: {
    include: ['bench/reliability/**/*.test.ts'],
    // PostgreSQL for the scale-out test (scale-out.test.ts), as the server suite gets it.
    globalSetup: ['./server/test/postgres-global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
