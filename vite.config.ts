import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal API the dev server proxies to: same port `courier start` listens on.
const portalPort = process.env.COURIER_PORT ?? '8080';

export default defineConfig({
  plugins: [react()],
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
