/**
 * What the SPA costs to load: the scripts and stylesheets index.html names (entry, modulepreloads,
 * stylesheets), and what Chromium actually fetches for the login page and a files page, each
 * counted gzip-compressed (level 9, what a compressing proxy sends) from the built dist/spa.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { REPO_ROOT } from '../../test-kit/courier-process';

export const SPA_DIR = path.join(REPO_ROOT, 'dist', 'spa');

export interface AssetWeight {
  /** Gzip bytes of JavaScript and of CSS. */
  js: number;
  css: number;
  /** Bytes the portal sends a browser that accepts brotli (the build's .br files; raw where none). */
  wire: number;
  /** Bytes uncompressed. */
  raw: number;
  files: string[];
}

const gzipSize = (file: string) => gzipSync(readFileSync(path.join(SPA_DIR, file)), { level: 9 }).length;

/** Sums the gzip sizes of `/assets/…` URLs (or paths) as built in dist/spa. */
export function weigh(urls: Iterable<string>): AssetWeight {
  const files = [...new Set([...urls].map((u) => new URL(u, 'http://x').pathname.replace(/^\//, '')))].sort();
  const weight: AssetWeight = { js: 0, css: 0, wire: 0, raw: 0, files };
  for (const file of files) {
    const size = gzipSize(file);
    if (file.endsWith('.css')) weight.css += size;
    else weight.js += size;
    const raw = statSync(path.join(SPA_DIR, file)).size;
    const brotli = path.join(SPA_DIR, `${file}.br`);
    weight.raw += raw;
    weight.wire += existsSync(brotli) ? statSync(brotli).size : raw;
  }
  return weight;
}

/** The entry script, its modulepreloads and the stylesheets index.html links: the first load before any route runs. */
export function initialAssets(): string[] {
  const html = readFileSync(path.join(SPA_DIR, 'index.html'), 'utf8');
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => {
    const url = /\s(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    const wanted = tag.startsWith('<script') ? /type="module"/.test(tag) : /rel="(modulepreload|stylesheet)"/.test(tag);
    return url && wanted && url.startsWith('/assets/') ? [url] : [];
  });
}

/** Every script and stylesheet the page fetches from the portal while `load` runs. */
export async function fetchedAssets(page: Page, load: () => Promise<void>): Promise<string[]> {
  const urls: string[] = [];
  const onResponse = (response: { url: () => string; request: () => { resourceType: () => string } }) => {
    const type = response.request().resourceType();
    if ((type === 'script' || type === 'stylesheet') && new URL(response.url()).pathname.startsWith('/assets/')) urls.push(response.url());
  };
  page.on('response', onResponse);
  try {
    await load();
    // Lazy chunks asked for by the page's last render: let them land.
    await page.waitForLoadState('networkidle');
  } finally {
    page.off('response', onResponse);
  }
  return urls;
}

/** The login page in a fresh context (empty cache): what someone who is not logged in downloads. */
export async function loginPageAssets(browser: Browser, url: string): Promise<string[]> {
  const context = await browser.newContext({ baseURL: url });
  try {
    const page = await context.newPage();
    return await fetchedAssets(page, async () => {
      await page.goto('/login');
      await page.getByLabel('Username').waitFor();
    });
  } finally {
    await context.close();
  }
}

export const kb = (bytes: number) => bytes / 1024;
