/**
 * gen3 path API (docs/node-api.md §3), for the node user over the docroot and for an access key over
 * its storage root (never for bearer tokens: the default `basic` route access). Create/delete/rename answer 200 with per-path results, each
 * failing path carrying `error: {code, reason, user_message}` as real HSTS does.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { scopeOf } from '../access/principal';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, toNodeErrorBody } from '../errors';
import { createFile, createLink } from '../storage/file-create';
import { searchFiles } from '../storage/file-search';
import { parseBody } from './parse-body';

// docs/node-api.md §3: 1,000 entries per call at most (ascli asks exactly that); default 100.
const MAX_BROWSE_COUNT = 1000;
// A bound on per-request work; real nodes limit request bodies similarly.
const MAX_PATHS_PER_REQUEST = 1000;

const browseSchema = z.object({
  path: z.string(),
  skip: z.coerce.number().int().min(0).default(0),
  count: z.coerce.number().int().min(1).default(100),
  sort: z.enum(['path', 'type', 'size_a', 'size_d', 'mtime_a', 'mtime_d']).default('path'),
  case_sensitive: z.boolean().default(false),
});
const searchSchema = browseSchema.extend({
  filters: z
    .object({
      types: z
        .array(z.enum(['file', 'directory', 'symbolic_link']))
        .max(3)
        .optional(),
      paths: z.array(z.string().max(1024)).max(100).optional(),
      basenames: z.array(z.string().max(1024)).max(100).optional(),
      size_min: z.number().int().min(0).optional(),
      size_max: z.number().int().min(0).optional(),
      mtime_min: z.string().max(64).optional(),
      mtime_max: z.string().max(64).optional(),
      depth_min: z.number().int().min(1).optional(),
      depth_max: z.number().int().min(1).optional(),
    })
    .loose()
    .default({}),
});
const createSchema = z.object({
  paths: z
    .array(z.object({ path: z.string(), type: z.string().default('directory') }).loose())
    .min(1)
    .max(MAX_PATHS_PER_REQUEST),
});
const deleteSchema = z.object({
  paths: z
    .array(z.object({ path: z.string(), recursive_delete: z.boolean().default(true) }).loose())
    .min(1)
    .max(MAX_PATHS_PER_REQUEST),
});
const renameSchema = z.object({
  paths: z
    .array(z.object({ path: z.string(), source: z.string(), destination: z.string() }).loose())
    .min(1)
    .max(MAX_PATHS_PER_REQUEST),
});

export async function filesRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const filesOf = async (request: FastifyRequest) => (await scopeOf(ctx, request.principal)).files;

  app.post('/files/browse', async (request) => {
    const body = parseBody(browseSchema, request.body);
    const files = await filesOf(request);
    return files.browse(body.path, body.skip, Math.min(body.count, MAX_BROWSE_COUNT), body.sort, body.case_sensitive);
  });

  // The OAS's files-search-post-request: browse's fields plus filters, over every level below `path`.
  app.post('/files/search', async (request) => {
    const body = parseBody(searchSchema, request.body);
    const files = await filesOf(request);
    const { path, skip, sort, filters } = body;
    return searchFiles(files, {
      path,
      skip,
      count: Math.min(body.count, MAX_BROWSE_COUNT),
      sort,
      caseSensitive: body.case_sensitive,
      filters,
    });
  });

  app.post('/files/create', async (request) => {
    const body = parseBody(createSchema, request.body);
    const files = await filesOf(request);
    const paths = [];
    for (const item of body.paths) {
      try {
        if (item.type === 'directory') paths.push({ path: await files.createFolder(item.path) });
        else if (item.type === 'file') paths.push({ path: await createFile(files, item.path, item.contents) });
        else if (item.type === 'symbolic_link') paths.push({ path: await createLink(files, item.path, item.target) });
        else throw ERRORS.badRequest('"type" must be directory, file or symbolic_link');
      } catch (err) {
        paths.push({ path: item.path, error: toNodeErrorBody(asNodeError(err)) });
      }
    }
    return { paths };
  });

  app.post('/files/delete', async (request) => {
    const body = parseBody(deleteSchema, request.body);
    const files = await filesOf(request);
    const paths = [];
    for (const item of body.paths) {
      try {
        paths.push({ path: await files.delete(item.path, item.recursive_delete) });
      } catch (err) {
        paths.push({ path: item.path, error: toNodeErrorBody(asNodeError(err)) });
      }
    }
    return { paths };
  });

  app.post('/files/rename', async (request) => {
    const body = parseBody(renameSchema, request.body);
    const files = await filesOf(request);
    const paths = [];
    for (const item of body.paths) {
      const echo = { path: item.path, source: item.source, destination: item.destination };
      try {
        await files.rename(item.path, item.source, item.destination);
        paths.push(echo);
      } catch (err) {
        paths.push({ ...echo, error: toNodeErrorBody(asNodeError(err)) });
      }
    }
    return { paths };
  });
}
