// @ts-check
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginQuery from '@tanstack/eslint-plugin-query';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * Boundaries from docs/architecture.md §2, enforced rather than hoped for:
 * - server/ reaches a transfer node only over the Node API, never by importing transfer-node/;
 * - transfer-node/ runs alone on a storage host, so it imports nothing from server/, src/ or contract/
 *   but the dependency-free rule files both sides must agree on (path rules, transfer limits, and the
 *   trusted-proxy setting's parser);
 * - src/ never imports server code; a feature never imports another feature, and the shared folders
 *   (lib, components, hooks, transfer-clients) import no feature;
 * - only src/transfer-clients/ knows the SDK or the gateway protocol.
 */
// Read from the folder, so a new feature is fenced from its first file and no zone outlives its folder.
const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const featureZones = features.map((name) => ({
  target: `./src/features/${name}`,
  from: './src/features',
  except: [`./${name}`],
  message: 'A feature never imports another feature: move the shared piece to src/components or src/lib.',
}));
// Imports run one way, shared → features → app: shared code that reached into a feature would tie
// every other feature to it.
const sharedZones = ['lib', 'components', 'hooks', 'transfer-clients'].map((name) => ({
  target: `./src/${name}`,
  from: './src/features',
  message: `src/${name} is shared by the features and imports none of them: move the piece it needs out of the feature.`,
}));

const programZones = [
  { target: './server', from: './transfer-node', message: 'server/ talks to nodes only through server/node-client over HTTP.' },
  { target: './server', from: './src' },
  { target: './transfer-node', from: './server', message: 'transfer-node/ runs alone: it imports nothing from server/.' },
  { target: './transfer-node', from: './src' },
  {
    target: './transfer-node',
    from: './contract',
    except: ['./path-rules.ts', './transfer-limits.ts', './trust-proxy.ts'],
    message:
      'transfer-node/ speaks the Node API, not the portal contract (only the shared path rules, transfer limits and trusted-proxy parser).',
  },
  { target: './src', from: './server' },
  { target: './src', from: './transfer-node' },
  // The launcher composes the two programs through their entries, as an operator would.
  { target: './launcher', from: './server', except: ['./index.ts'], message: 'launcher/ starts the portal through server/index.ts only.' },
  {
    target: './launcher',
    from: './transfer-node',
    except: ['./index.ts'],
    message: 'launcher/ starts the node through transfer-node/index.ts only.',
  },
  { target: './contract', from: './server' },
  { target: './contract', from: './src' },
  { target: './contract', from: './transfer-node' },
  ...featureZones,
  ...sharedZones,
];
// test-kit/ holds what every suite shares (gateway client, node process, free port, temp folders):
// tests and bench use it, the programs never do; and it reaches the programs only as a client does.
const testKitZones = ['./src', './server', './transfer-node', './contract', './launcher'].map((target) => ({
  target,
  from: './test-kit',
  message: 'test-kit/ is for tests and bench only.',
}));
const testKitReach = ['./src', './server', './transfer-node'].map((from) => ({
  target: './test-kit',
  from,
  message: 'test-kit/ meets the programs over HTTP and their command line, as an operator or a browser would.',
}));
const testFiles = ['**/*.test.{ts,tsx}', '**/test/**', 'e2e/**', 'bench/**', 'test-kit/**'];

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'data', 'test-results', 'playwright-report', 'bench/results', 'reports', '.stryker-tmp'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX },
    settings: {
      // Without a resolver that knows `.ts`, import-x cannot resolve `'../contract/files'` and the
      // zones below silently never fire; the import-x node resolver with TypeScript's extensions can.
      // no-cycle also needs to read the imported TypeScript files, hence the extensions and parser.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/external-module-folders': importX.flatConfigs.typescript.settings['import-x/external-module-folders'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...programZones, ...testKitZones, ...testKitReach] }],
      'import-x/no-cycle': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests and bench may use test-kit; every other fence holds for them too.
    files: testFiles,
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...programZones, ...testKitReach] }] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { '@tanstack/query': pluginQuery, 'react-hooks': reactHooks },
    rules: {
      ...pluginQuery.configs.recommended.rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/transfer-clients/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'asperaSdk', message: 'Only src/transfer-clients/ knows the Aspera SDK.' }],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'asperaSdk', message: 'Only src/transfer-clients/ knows the Aspera SDK.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/\\/aspera\\/http-gwy/]', message: 'Only src/transfer-clients/ knows the HTTP Gateway protocol.' },
      ],
    },
  },
  {
    // In tests a wrong assumption fails the test loudly, which is what `!` is for there.
    files: ['**/*.test.{ts,tsx}', '**/test/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
