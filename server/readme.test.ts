import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from './config';

describe('README', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
  it.each(Object.values(SETTINGS).map((s) => s.env))('documents %s in the settings table', (env) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${env}\` \\|`, 'm'));
  });
});
