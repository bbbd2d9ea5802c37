/**
 * The import boundaries in eslint.config.js, proved to fire: a zone whose imports cannot be resolved
 * never reports anything, and until the resolver was set none of them did. Each case lints one
 * in-memory file at a path inside a fenced folder, importing a real file across the fence.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: import.meta.dirname });
});

async function zoneErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import '${source}';\n`, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['server/probe.ts', '../transfer-node/index'],
    ['server/probe.ts', '../src/lib/format-bytes'],
    ['transfer-node/probe.ts', '../server/config'],
    ['transfer-node/probe.ts', '../src/lib/format-bytes'],
    ['transfer-node/probe.ts', '../contract/files'],
    ['src/probe.ts', '../server/config'],
    ['src/probe.ts', '../transfer-node/index'],
    ['contract/probe.ts', '../server/config'],
    ['contract/probe.ts', '../src/lib/format-bytes'],
    ['contract/probe.ts', '../transfer-node/index'],
    ['src/features/files/probe.ts', '../transfers/api/get-transfers'],
    ['src/features/transfers/probe.ts', '../files/lib/selection'],
    ['src/lib/probe.ts', '../features/files/lib/selection'],
    ['src/components/probe.ts', '../features/files/lib/selection'],
    ['src/hooks/probe.ts', '../features/files/lib/selection'],
    ['src/transfer-clients/probe.ts', '../features/files/lib/selection'],
    ['launcher/probe.ts', '../server/app'],
    ['launcher/probe.ts', '../transfer-node/app'],
    ['server/probe.ts', '../test-kit/free-port'],
    ['src/lib/probe.ts', '../../test-kit/free-port'],
    ['transfer-node/probe.ts', '../test-kit/free-port'],
    ['test-kit/probe.ts', '../server/config'],
    ['test-kit/probe.ts', '../transfer-node/index'],
  ])('%s may not import %s', async (file, source) => {
    expect(await zoneErrors(file, source)).toEqual([expect.stringContaining('restricted zone')]);
  });

  it.each([
    ['transfer-node/probe.ts', '../contract/path-rules'],
    ['transfer-node/probe.ts', '../contract/transfer-limits'],
    ['transfer-node/probe.ts', '../contract/trust-proxy'],
    ['src/features/files/probe.ts', './lib/selection'],
    ['src/features/files/probe.ts', '../../lib/format-bytes'],
    ['launcher/probe.ts', '../transfer-node/index'],
    ['launcher/probe.ts', '../server/index'],
    ['server/probe.test.ts', '../test-kit/free-port'],
    ['transfer-node/test/probe.ts', '../../test-kit/free-port'],
    ['bench/probe.ts', '../test-kit/free-port'],
    ['bench/probe.ts', '../server/test/test-app'],
  ])('%s may import %s', async (file, source) => {
    expect(await zoneErrors(file, source)).toEqual([]);
  });
});
