import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/test-app';
import { DIALECTS } from '../test/test-database';

const BIG_SCRIPT = 'export const rows = [' + Array.from({ length: 2000 }, (_, i) => `{ id: ${i}, name: "row ${i}" }`).join(',') + '];';

describe.each(DIALECTS)('serving the SPA on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    const spaDir = mkdtempSync(path.join(tmpdir(), 'courier-spa-'));
    mkdirSync(path.join(spaDir, 'assets'));
    writeFileSync(path.join(spaDir, 'index.html'), '<!doctype html><title>Courier</title><div id="root"></div>');
    writeFileSync(path.join(spaDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    // What the build's precompress step writes beside a larger file (vite.config.ts).
    writeFileSync(path.join(spaDir, 'assets', 'big-def456.js'), BIG_SCRIPT);
    writeFileSync(path.join(spaDir, 'assets', 'big-def456.js.br'), brotliCompressSync(BIG_SCRIPT));
    writeFileSync(path.join(spaDir, 'assets', 'big-def456.js.gz'), gzipSync(BIG_SCRIPT));
    t = await createTestApp(
      dialect,
      { COURIER_ASPERA_SDK_URL: 'https://cdn.example.com/npm/@ibm-aspera/sdk@0.23.5/dist/js/aspera-sdk.js' },
      {
        spaDir,
        // Registering a node with a gateway puts the gateway's origin in the page's CSP.
        embeddedNode: { url: 'http://127.0.0.1:9', username: 'u', secret: 's', gatewayUrl: 'http://gw.example.com:9092/aspera/http-gwy' },
      },
    );
  });
  afterAll(() => t.close());

  it.each([
    '/',
    '/files/space-1/deep/folder',
    '/login?next=%2Ftransfers',
    // Folders whose name looks like a file: a reload of their link must still get the app.
    '/files/space-1/release.v2',
    '/files/space-1/photos/summer.2025.jpg.d?sort=name',
    '/files/space-1/notes.txt',
  ])('answers %s with index.html, uncached, under a strict CSP', async (url) => {
    const response = await t.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<div id="root">');
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self' https://cdn.example.com;");
    expect(csp).toMatch(/connect-src 'self' http:\/\/gw\.example\.com:9092 http:\/\/127\.0\.0\.1:33024 /);
    expect(csp).toMatch(/frame-src 'self' http:\/\/gw\.example\.com:9092 aspera:;/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('caches hashed assets for a year and 404s missing files instead of answering index.html', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/assets/gone-123.js', '/assets/gone-456.css', '/assets/nested/gone']) {
      const missing = await t.app.inject({ method: 'GET', url });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).not.toContain('<div id="root">');
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('NOT_FOUND');
  });

  it.each([
    ['br, gzip, deflate', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
  ])('sends the build-time compressed copy to a browser that accepts %s', async (accept, encoding, decompress) => {
    const response = await t.app.inject({ method: 'GET', url: '/assets/big-def456.js', headers: { 'accept-encoding': accept } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['vary']).toMatch(/accept-encoding/i);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.rawPayload.length).toBeLessThan(BIG_SCRIPT.length / 4);
    expect(decompress(response.rawPayload).toString()).toBe(BIG_SCRIPT);
  });

  it('sends the file as it is to a browser that accepts no compression', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/assets/big-def456.js', headers: { 'accept-encoding': 'identity' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe(BIG_SCRIPT);
  });

  it('tells the SPA where the SDK is without logging in', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/client-config' });
    expect(response.json()).toEqual({
      asperaSdkUrl: 'https://cdn.example.com/npm/@ibm-aspera/sdk@0.23.5/dist/js/aspera-sdk.js',
      asperaAppId: 'courier',
      // No identity provider configured: the login page offers only the local form.
      oidcName: null,
      oidcProviders: [],
      localLoginForm: true,
    });
  });
});
