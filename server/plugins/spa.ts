import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built SPA from `spaDir`: hashed assets cached for a year, index.html never cached and
 * answered for every client route so deep links and reloads work, each compressed at build time
 * when the browser accepts it. /api/* stays JSON 404s.
 */
export async function registerSpa(app: FastifyInstance, spaDir: string, csp: () => Promise<string>): Promise<void> {
  const indexFile = path.join(spaDir, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ spaDir }, 'the SPA is not built; run `npm run build` (npm start does it for you)');
    return;
  }
  await app.register(fastifyStatic, {
    root: spaDir,
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each text file (vite.config.ts); sent by Accept-Encoding.
    preCompressed: true,
    // Ours, below: immutable for hashed assets, revalidate everything else.
    cacheControl: false,
    setHeaders: (res, filePath) => {
      res.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      // The body depends on Accept-Encoding (preCompressed): a shared cache must key on it.
      res.setHeader('vary', 'accept-encoding');
    },
  });
  // Every built file has its own route above (wildcard: false), so what reaches this one is a
  // client route, whatever its last segment looks like (a folder named `release.v2`), or a missing
  // file under assets/, where the build puts every script and style: that one stays a 404 so a
  // stale page asking for an old chunk fails loudly instead of parsing HTML as JavaScript.
  app.get('/*', { config: { auth: 'public' } }, async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return reply.callNotFound();
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', await csp())
      .sendFile('index.html');
  });
}
