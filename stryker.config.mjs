// @ts-check
/**
 * Mutation testing (issue 21): `npm run test:mutation` breaks the code under test one change at a
 * time and counts the changes no test notices. Scoped to the modules where a silent bug costs the
 * most, in three groups that can be run alone (docs/reliability.md has the figures and timings):
 *
 *   COURIER_MUTATION_GROUP=spa|node-rules|node|portal|all npm run test:mutation
 *
 * The default is `spa`, about 16 minutes on a 2-core machine; `node-rules` takes minutes, while
 * `node` and `portal` rerun integration tests (a real node, a real app) for every mutant and take
 * hours here: run them on a bigger machine or overnight.
 */
const groups = {
  // The transfer node: what a path may be, where bytes land, what a token grants.
  node: [
    'contract/path-rules.ts',
    'transfer-node/storage/node-path.ts',
    'transfer-node/storage/docroot.ts',
    'transfer-node/storage/upload-writer.ts',
    'transfer-node/tokens/*.ts',
    'transfer-node/transfers/upload-grants.ts',
    'transfer-node/gateway/gateway-spec.ts',
    'transfer-node/gateway/receive-upload.ts',
  ],
  // The portal: who is logged in, what a member may reach, which transfers they start and cancel.
  portal: [
    'server/features/auth/auth-service.ts',
    'server/features/auth/login-throttle*.ts',
    'server/features/spaces/space-access.ts',
    'server/features/spaces/space-path.ts',
    'server/features/spaces/space-root.ts',
    'server/features/spaces/spaces-service.ts',
    'server/features/transfers/transfers-service.ts',
    'server/features/transfers/transfer-records.ts',
    'server/features/transfers/idempotency-keys.ts',
    'server/lib/secret-box.ts',
  ],
  // The node's pure rules judged by their unit tests alone (vitest.mutation.config.ts reads the
  // list): the whole node group reruns real-node integration tests for each mutant, about 13 s a
  // mutant here, hours for the group. A lower bound for these modules, but one that fits.
  'node-rules': ['transfer-node/storage/node-path.ts', 'transfer-node/tokens/*.ts', 'transfer-node/transfers/upload-grants.ts'],
  // The portal's pure rules, the same way.
  'portal-rules': ['server/lib/secret-box.ts', 'server/features/spaces/space-root.ts'],
  // The node's storage and gateway judged by focused tests that call them directly on real temp
  // folders and real request streams (no node process), so the group takes minutes, not hours.
  'node-io': [
    'contract/path-rules.ts',
    'transfer-node/storage/docroot.ts',
    'transfer-node/storage/upload-writer.ts',
    'transfer-node/gateway/gateway-spec.ts',
    'transfer-node/gateway/receive-upload.ts',
  ],
  // The portal's services judged by focused tests that call them directly over a real database
  // (SQLite here) and, for spaces and transfers, a real embedded node started once per file.
  'portal-services': [
    'server/features/auth/auth-service.ts',
    'server/features/auth/login-throttle*.ts',
    'server/features/spaces/space-access.ts',
    'server/features/spaces/space-path.ts',
    'server/features/spaces/spaces-service.ts',
    'server/features/transfers/transfers-service.ts',
    'server/features/transfers/transfer-records.ts',
    'server/features/transfers/idempotency-keys.ts',
  ],
  // The SPA's transfer engine and the clients that move the bytes. The engine's React hooks
  // (use-*.ts, wiring for the provider) have no unit tests and are left out.
  spa: [
    'src/features/transfers/lib/*.ts',
    'src/features/transfers/engine/*.ts',
    '!src/features/transfers/engine/use-*.ts',
    'src/transfer-clients/http-gateway/*.ts',
    'src/transfer-clients/aspera-sdk/aspera-sdk-client.ts',
  ],
};

const unitTestsOnly = {
  'portal-rules': ['server/lib/*.test.ts', 'server/features/spaces/space-root*.test.ts'],
  'node-rules': ['transfer-node/storage/*.test.ts', 'transfer-node/tokens/*.test.ts', 'transfer-node/transfers/*.test.ts'],
  'node-io': [
    'contract/path-rules.mutation.test.ts',
    'transfer-node/storage/docroot.mutation.test.ts',
    'transfer-node/storage/upload-writer.mutation.test.ts',
    'transfer-node/gateway/gateway-spec.mutation.test.ts',
    'transfer-node/gateway/receive-upload.mutation.test.ts',
  ],
  'portal-services': [
    'server/features/auth/auth-service.mutation.test.ts',
    'server/features/auth/login-throttle.mutation.test.ts',
    'server/features/spaces/space-access.mutation.test.ts',
    'server/features/spaces/space-path.mutation.test.ts',
    'server/features/spaces/spaces-service.mutation.test.ts',
    'server/features/transfers/transfers-service.mutation.test.ts',
  ],
};

const group = process.env.COURIER_MUTATION_GROUP ?? 'spa';
const selected = group === 'all' ? [...groups.node, ...groups.portal, ...groups.spa] : groups[/** @type {keyof typeof groups} */ (group)];
if (!selected) throw new Error(`COURIER_MUTATION_GROUP must be one of ${Object.keys(groups).join(', ')}, all (got "${group}")`);

const tests = unitTestsOnly[/** @type {keyof typeof unitTestsOnly} */ (group)];
if (tests) process.env.COURIER_MUTATION_TESTS = tests.join(',');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [...selected, '!**/*.test.ts', '!**/testing/**'],
  coverageAnalysis: 'perTest',
  // A static mutant (code run on import or in a beforeAll, such as a node started for a whole
  // file) can only be judged by rerunning every related test with a fresh module graph: in the
  // node group that was 70 % of the mutants and an estimated 76 hours here. They are counted as
  // Ignored, and docs/reliability.md says how many per module. The groups judged by unit tests
  // are quick enough to judge their static mutants too.
  ignoreStatic: ['node', 'portal', 'all'].includes(group),
  concurrency: 2,
  // Integration tests start real servers and a node process: allow them slack on a busy machine.
  // Unit tests answer in milliseconds, so a mutant that loops (a regex gone exponential) is
  // given up on sooner there.
  timeoutMS: group in unitTestsOnly ? 5_000 : 20_000,
  // One file per group, so running one group does not forget what the others learned.
  incremental: true,
  incrementalFile: `reports/mutation/incremental-${group}.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  // The unit-test groups run in CI (.ci/run, under a minute): a score under 80 % fails it.
  thresholds: { high: 90, low: 80, break: group in unitTestsOnly ? 80 : null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
