/**
 * Builds the fake SDK as one plain script (IIFE), like IBM's `dist/js/aspera-sdk.js`.
 * e2e: `route.fulfill({ body: await buildFakeAsperaSdkScript(), contentType: 'text/javascript' })` on
 * the configured SDK URL, or write a file: `npx tsx <this file> e2e/fixtures/fake-aspera-sdk.js`.
 */
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./fake-aspera-sdk-global.ts', import.meta.url));

export async function buildFakeAsperaSdkScript(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx build-fake-aspera-sdk.ts <output.js>');
  writeFileSync(out, await buildFakeAsperaSdkScript());
}
