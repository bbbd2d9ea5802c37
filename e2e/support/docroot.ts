import path from 'node:path';

/** The embedded node's docroot of the main portal (playwright.config.ts sets the data folder). */
export function docroot(...parts: string[]): string {
  const dataDir = process.env.COURIER_E2E_DATA_DIR;
  if (!dataDir) throw new Error('playwright.config.ts sets COURIER_E2E_DATA_DIR');
  return path.join(dataDir, 'node', 'docroot', ...parts);
}
