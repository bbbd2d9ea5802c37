import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,server,transfer-node,contract,launcher}/**/*.test.{ts,tsx}', '*.test.ts'],
    globalSetup: ['./server/test/postgres-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
