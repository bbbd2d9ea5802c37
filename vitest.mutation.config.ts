import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The suite as Stryker runs it (stryker.config.mjs): SQLite only. Each mutant reruns the tests
 * that cover it, and the PostgreSQL variants would double that time without reaching other code
 * in the mutated modules; `npm test` still runs both dialects. Without the global setup no cluster
 * is started (it starts one whenever the binaries exist, even with COURIER_TEST_SKIP_POSTGRES=1),
 * and an empty `postgresUrl` is what server/test/test-database.ts reads as "SQLite only".
 *
 * COURIER_MUTATION_TESTS (comma-separated globs, set by stryker.config.mjs for a group judged by
 * its unit tests only) narrows the test files.
 */
const only = process.env.COURIER_MUTATION_TESTS;

export default defineConfig({
  test: {
    ...base.test,
    ...(only ? { include: only.split(',') } : {}),
    globalSetup: [],
    provide: { postgresUrl: '' },
  },
});
