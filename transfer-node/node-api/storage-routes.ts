/**
 * `POST /space` and `GET /files/{uri_encoded_path}/contents` (docs/node-api.md §3), which ascli's
 * `node space` and file preview call. Paths are resolved as for browse: confined to the docroot or
 * the access key's storage, links followed only where the node's link rule allows.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { open, statfs } from 'node:fs/promises';
import { z } from 'zod';
import { scopeOf } from '../access/principal';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, toNodeErrorBody } from '../errors';
import { hardLinkRefused } from '../gateway/zip-entries';
import { parseBody } from './parse-body';

// The OAS: "The maximum size being returned is 4096 bytes."
const MAX_CONTENTS_BYTES = 4096;
const MAX_SPACE_PATHS = 100;

const spaceSchema = z.object({
  paths: z
    .array(z.object({ path: z.string() }).loose())
    .min(1)
    .max(MAX_SPACE_PATHS),
});

export async function storageRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const filesOf = async (request: FastifyRequest) => (await scopeOf(ctx, request.principal)).files;

  app.post('/space', async (request) => {
    const body = parseBody(spaceSchema, request.body);
    const files = await filesOf(request);
    const paths = [];
    for (const item of body.paths) {
      try {
        const resolved = await files.docroot.resolve(files.segments(item.path));
        if (!resolved.stats) throw ERRORS.notFound();
        const fs = await statfs(resolved.abs);
        const total = fs.blocks * fs.bsize;
        // bavail, not bfree: what this node's user can write, as df reports it.
        const free = fs.bavail * fs.bsize;
        paths.push({ path: resolved.nodePath, bytes_total: total, bytes_free: free, percent_free: total > 0 ? (100 * free) / total : 0 });
      } catch (err) {
        paths.push({ path: item.path, error: toNodeErrorBody(asNodeError(err)) });
      }
    }
    return { paths };
  });

  // `:id` as in file-id-routes.ts: the router wants one name per position. The path is URI-encoded, `/` as %2F.
  app.get('/files/:id/contents', async (request, reply) => {
    const { id: path } = request.params as { id: string };
    const files = await filesOf(request);
    const segments = files.segments(path);
    const entry = await files.docroot.resolveEntry(segments);
    if (!entry.stats) throw ERRORS.notFound();
    if (!entry.stats.isFile()) throw ERRORS.badRequest('Contents are returned for regular files only, not folders or links');
    // A hard link may be the same file as one outside the docroot (as for downloads).
    if (entry.stats.nlink > 1) throw hardLinkRefused(entry.nodePath);
    const resolved = await files.docroot.resolve(segments);
    const handle = await open(resolved.abs, 'r');
    try {
      const buffer = Buffer.alloc(MAX_CONTENTS_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_CONTENTS_BYTES, 0);
      return reply.header('Content-Type', 'application/octet-stream').send(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  });
}
