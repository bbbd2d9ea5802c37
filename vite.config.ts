import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Writes `.br` and `.gz` beside each text file of the build, once, at the strongest settings, so
 * the portal sends the ~140 KiB a first visit needs instead of ~660 KiB without compressing per
 * request (server/plugins/spa.ts serves them with @fastify/static's `preCompressed`).
 */
function precompress(): Plugin {
  const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
  let outDir = '';
  return {
    name: 'courier-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const bytes = readFileSync(file);
        if (bytes.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

// The portal API the dev server proxies to: same port `courier start` listens on.
const portalPort = process.env.COURIER_PORT ?? '8080';

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    // The portal serves this folder, with an index.html fallback for client routes.
    outDir: 'dist/spa',
    emptyOutDir: true,
    sourcemap: true,
    // Compiling Carbon's Sass is most of the build; a warning about it on every build is noise.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  css: {
    preprocessorOptions: {
      // Carbon's Sass triggers deprecation warnings we cannot fix from here.
      scss: { quietDeps: true },
    },
  },
  server: {
    port: Number(process.env.COURIER_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: {
      '/api': { target: `http://127.0.0.1:${portalPort}` },
    },
  },
  preview: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${portalPort}` },
    },
  },
});
