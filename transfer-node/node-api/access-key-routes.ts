/**
 * /access_keys and /self (docs/node-api.md §6.1): the node user creates, changes and deletes keys;
 * an access key (or a bearer token of it) sees only itself. The secret is answered once, at
 * creation, and never after.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACCESS_KEY_ID, type AccessKey } from '../access/access-keys';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { parseNodePath } from '../storage/node-path';
import { parseBody } from './parse-body';

// The OAS allows other storage types (S3, Azure…); this node only has its docroot.
const storageSchema = z
  .object({ type: z.literal('local', 'storage.type must be "local" on this node'), path: z.string().max(4096) })
  .loose();
const secretSchema = z.string().min(8, 'must be at least 8 characters').max(256);
const pemSchema = z.string().max(16 * 1024);
const configurationSchema = z.record(z.string(), z.unknown()).refine((c) => JSON.stringify(c).length <= 16 * 1024, 'is too large');
const createSchema = z
  .object({
    id: z.string().regex(ACCESS_KEY_ID, 'must be 1 to 64 letters, digits, dots, dashes or underscores').optional(),
    secret: secretSchema.optional(),
    token_verification_key: pemSchema.optional(),
    storage: storageSchema,
    configuration: configurationSchema.optional(),
  })
  .loose();
const updateSchema = z
  .object({
    secret: secretSchema.optional(),
    token_verification_key: pemSchema.optional(),
    storage: storageSchema.optional(),
    configuration: configurationSchema.optional(),
  })
  .loose();
const idParams = z.object({ id: z.string().max(256) });

export async function accessKeyRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const view = async (key: AccessKey) => ({
    id: key.id,
    root_file_id: await ctx.fileIds.idOf(key.storage_path),
    storage: { type: 'local', path: key.storage_path },
    ...(key.token_verification_key ? { token_verification_key: key.token_verification_key } : {}),
    ...(key.configuration ? { configuration: key.configuration } : {}),
  });

  /** The docroot folder a storage path names, links resolved, refused if it leaves the docroot. */
  const storagePath = async (path: string): Promise<string> => {
    const resolved = await ctx.files.docroot.resolve(parseNodePath(path, { allowLeadingSlash: true }));
    if (!resolved.stats) throw ERRORS.notFound('The storage path does not exist');
    if (!resolved.stats.isDirectory()) throw ERRORS.notAFolder();
    const canonical = ctx.files.docroot.nodePathOf(resolved.abs);
    if (canonical === null) throw ERRORS.outsideDocroot();
    return canonical;
  };

  /** The key `id` as this request may see it: any for the node user, only itself for a key. */
  const visibleKey = (request: FastifyRequest, id: string): AccessKey => {
    const { principal } = request;
    const key = ctx.accessKeys.get(id);
    // Another key's existence is not told to a key: 404 either way.
    if (!key || (principal.kind !== 'node' && principal.key.id !== key.id)) throw ERRORS.notFound('No such access key');
    return key;
  };

  const self = async (request: FastifyRequest) => {
    const { principal } = request;
    if (principal.kind === 'node') throw ERRORS.badRequest('The node user is not an access key');
    return view(principal.key);
  };

  app.get('/access_keys', async (request) => {
    const { principal } = request;
    const keys = principal.kind === 'node' ? ctx.accessKeys.list() : [principal.key];
    return Promise.all(keys.map(view));
  });

  app.post('/access_keys', { config: { access: 'node-user' } }, async (request) => {
    const body = parseBody(createSchema, request.body);
    const { key, secret } = await ctx.accessKeys.create({
      id: body.id,
      secret: body.secret,
      storagePath: await storagePath(body.storage.path),
      tokenVerificationKey: body.token_verification_key,
      configuration: body.configuration,
    });
    // docs/node-api.md §6.1: the only answer that ever carries the secret.
    return { ...(await view(key)), secret };
  });

  app.get('/access_keys/self', { config: { access: 'any' } }, self);
  app.get('/self', { config: { access: 'any' } }, self);

  app.get('/access_keys/:id', async (request) => view(visibleKey(request, parseBody(idParams, request.params).id)));

  app.put('/access_keys/:id', async (request, reply) => {
    const key = visibleKey(request, parseBody(idParams, request.params).id);
    const body = parseBody(updateSchema, request.body);
    // A key must not widen its own jail; only the node user moves a key's storage.
    if (body.storage && request.principal.kind !== 'node') throw ERRORS.forbidden("Only the node user may change an access key's storage");
    await ctx.accessKeys.update(key.id, {
      secret: body.secret,
      tokenVerificationKey: body.token_verification_key,
      storagePath: body.storage ? await storagePath(body.storage.path) : undefined,
      configuration: body.configuration,
    });
    return reply.code(204).send();
  });

  app.delete('/access_keys/:id', { config: { access: 'node-user' } }, async (request, reply) => {
    const { id } = parseBody(idParams, request.params);
    await ctx.accessKeys.delete(id);
    await ctx.permissions.deleteKey(id);
    return reply.code(204).send();
  });
}
