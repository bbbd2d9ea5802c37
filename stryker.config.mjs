// @ts-check
/**
 * Mutation testing (issue 21): `npm run test:mutation` breaks the code under test one change at a
 * time and counts the changes no test notices. Scoped to the modules where a silent bug costs the
 * most, in three groups that can be run alone (docs/reliability.md has the figures and timings):
 *
 *   COURIER_MUTATION_GROUP=node|portal|spa|all npm run test:mutation
 *
 * The default is `node`, the one that fits in a coffee break on a 2-core machine; `all` takes
 * the sum of the three.
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
    'server/lib/secret-box.ts',
  ],
  // The SPA's transfer engine and the clients that move the bytes.
  spa: [
    'src/features/transfers/lib/*.ts',
    'src/transfer-clients/http-gateway/*.ts',
    'src/transfer-clients/aspera-sdk/aspera-sdk-client.ts',
  ],
};

const group = process.env.COURIER_MUTATION_GROUP ?? 'node';
const selected =
  group === 'all'
    ? Object.values(groups).flat()
    : groups[/** @type {keyof typeof groups} */ (group)];
if (!selected)
  throw new Error(
    `COURIER_MUTATION_GROUP must be one of ${Object.keys(groups).join(', ')}, all (got "${group}")`,
  );

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [...selected, '!**/*.test.ts', '!**/testing/**'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Integration tests start real servers and a node process: allow them slack on a busy machine.
  timeoutMS: 20_000,
  // One file per group, so running one group does not forget what the others learned.
  incremental: true,
  incrementalFile: `reports/mutation/incremental-${group}.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
