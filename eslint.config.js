// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginQuery from '@tanstack/eslint-plugin-query';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';

/**
 * Boundaries from DESIGN.md, enforced rather than hoped for:
 * - server/ reaches a transfer node only over the Node API, never by importing transfer-node/;
 * - transfer-node/ runs alone on a storage host, so it imports nothing from server/, src/ or contract/
 *   but the two dependency-free rule files both sides must agree on (path rules, transfer limits);
 * - src/ never imports server code; a feature never imports another feature;
 * - only src/transfer-clients/ knows the SDK or the gateway protocol.
 */
const featureZones = ['auth', 'files', 'transfers', 'spaces', 'admin'].map((name) => ({
  target: `./src/features/${name}`,
  from: './src/features',
  except: [`./${name}`],
  message: 'A feature never imports another feature: move the shared piece to src/components or src/lib.',
}));

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'data', 'test-results', 'playwright-report', 'bench/results', 'reports', '.stryker-tmp'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './server', from: './transfer-node', message: 'server/ talks to nodes only through server/node-client over HTTP.' },
            { target: './server', from: './src' },
            { target: './transfer-node', from: './server', message: 'transfer-node/ runs alone: it imports nothing from server/.' },
            { target: './transfer-node', from: './src' },
            {
              target: './transfer-node',
              from: './contract',
              except: ['./path-rules.ts', './transfer-limits.ts'],
              message: 'transfer-node/ speaks the Node API, not the portal contract (only the shared path rules and transfer limits).',
            },
            { target: './src', from: './server' },
            { target: './src', from: './transfer-node' },
            { target: './contract', from: './server' },
            { target: './contract', from: './src' },
            { target: './contract', from: './transfer-node' },
            ...featureZones,
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
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
      'no-restricted-properties': ['error', { object: 'window', property: 'asperaSdk', message: 'Only src/transfer-clients/ knows the Aspera SDK.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "Literal[value=/\\/aspera\\/http-gwy/]", message: 'Only src/transfer-clients/ knows the HTTP Gateway protocol.' },
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
