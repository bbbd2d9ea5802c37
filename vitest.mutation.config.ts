import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The suite as Stryker runs it (stryker.config.mjs): SQLite only. Each mutant reruns the tests
 * that cover it, and the PostgreSQL variants would double that time without reaching other code
 * in the mutated modules; `npm test` still runs both dialects. Without the global setup no cluster
 * is started (it starts one whenever the binaries exist, even with COURIER_TEST_SKIP_POSTGRES=1),
 * and an empty `postgresUrl` is what server/test/test-database.ts reads as "SQLite only".
 */
export default defineConfig({
  test: {
    ...base.test,
    globalSetup: [],
    provide: { postgresUrl: '' },
  },
});
