/**
 * The Node API client: the only way the portal talks to a transfer node, a real IBM HSTS or the
 * embedded node alike (docs/architecture.md §2). Requests follow docs/node-api.md; answers are read with the
 * tolerance its §9 asks for. Every failure is a NodeApiError.
 */
import { z } from 'zod';
import { readPathErrors, readSetupResults } from './item-results';
import { nextIterationToken } from './link-header';
import { NodeApiError } from './node-api-error';
import { createTransport, type Send } from './node-transport';
import { followTransferPages, type FollowOptions, type FollowResult } from './transfer-paging';
import {
  type BrowseResult,
  browseResponseSchema,
  type BrowseSort,
  type ListTransfersOptions,
  type NodeConnection,
  type NodeInfo,
  nodeInfoSchema,
  type AccessKeyInfo,
  accessKeySchema,
  type FileIdEntry,
  fileIdEntrySchema,
  type NodePermission,
  permissionSchema,
  type NodeTransfer,
  nodeTransferSchema,
  type PathResult,
  type RenameResult,
  type SetupResult,
  type TransferPage,
  type TransferRequest,
  type TransferSpec,
} from './types';

export interface NodeClient {
  ping(): Promise<void>;
  info(): Promise<NodeInfo>;
  /** The access key these credentials are (docs/node-api.md §6.1); the node user gets an error from the node. */
  accessKeySelf(): Promise<AccessKeyInfo>;
  /** Sets the access key's public key for A3 tokens (`PUT /access_keys/{id}`, docs/node-api.md §6.1); a key may set its own. */
  setTokenVerificationKey(accessKeyId: string, publicPem: string): Promise<void>;
  browse(request: { path: string; skip?: number; count?: number; sort?: BrowseSort }): Promise<BrowseResult>;
  /** `GET /files/{id}` (docs/node-api.md §6.3). */
  fileById(id: string): Promise<FileIdEntry>;
  /** `GET /files/{id}/files`, one page (from 1) sorted by name; the total from `X-Total-Count` (docs/node-api.md §6.3). */
  filesOf(id: string, page: { page: number; perPage: number }): Promise<{ entries: FileIdEntry[]; totalCount: number | null }>;
  /** `GET /permissions?file_id=` (docs/node-api.md §6.2): the permissions set on that file itself. */
  permissionsOn(fileId: string): Promise<NodePermission[]>;
  createPermission(permission: {
    fileId: string;
    accessType: 'user' | 'group';
    accessId: string;
    accessLevels: string[];
  }): Promise<NodePermission>;
  deletePermission(id: string): Promise<void>;
  /** `POST /files/{id}/files` with `type: folder`: a folder named `name` in folder `parentId` (docs/node-api.md §6.3). */
  createFolderIn(parentId: string, name: string): Promise<void>;
  /** `PUT /files/{id}` with a new `name`, in the same folder (docs/node-api.md §6.3). */
  renameById(id: string, name: string): Promise<void>;
  /** `DELETE /files/{id}`: a file, or a folder with all it holds (docs/node-api.md §6.3). */
  deleteById(id: string): Promise<void>;
  createFolders(paths: string[]): Promise<PathResult[]>;
  deletePaths(paths: string[]): Promise<PathResult[]>;
  rename(items: { parent: string; source: string; destination: string }[]): Promise<RenameResult[]>;
  uploadSetup(requests: TransferRequest[]): Promise<SetupResult[]>;
  downloadSetup(requests: TransferRequest[]): Promise<SetupResult[]>;
  listTransfers(options?: ListTransfersOptions): Promise<TransferPage>;
  followTransfers(lastToken: string | null, options?: FollowOptions): Promise<FollowResult>;
  getTransfer(id: string): Promise<NodeTransfer>;
  cancelTransfer(id: string): Promise<void>;
  /** This node as the client of a transfer to another node (scenario S6): the other node's spec, local `paths`. */
  startTransfer(spec: TransferSpec): Promise<NodeTransfer>;
}

export function createNodeClient(connection: NodeConnection): NodeClient {
  const { auth } = connection;
  const authorization =
    auth.type === 'basic' ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` : `Bearer ${auth.token}`;
  const secret = auth.type === 'basic' ? auth.password : auth.token;
  const send: Send = createTransport({
    baseUrl: connection.url,
    authorization,
    ...(auth.type === 'bearer' ? { headers: { 'x-aspera-accesskey': auth.accessKey } } : {}),
    verifyTls: connection.verifyTls,
    timeoutMs: connection.timeoutMs,
    secrets: [secret, authorization, authorization.replace(/^(Basic|Bearer) /, '')],
  });

  const parse = <T extends z.ZodType>(schema: T, body: unknown, operation: string): z.output<T> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new NodeApiError('bad_response', `Node answer to ${operation} has an unexpected shape`);
    return parsed.data;
  };

  const listTransfers = async (options: ListTransfersOptions = {}): Promise<TransferPage> => {
    const response = await send('GET', '/ops/transfers', {
      query: {
        iteration_token: options.iterationToken ?? undefined,
        active_only: options.activeOnly === undefined ? undefined : String(options.activeOnly),
        count: options.count === undefined ? undefined : String(options.count),
        view: options.view,
        tag: options.tag,
      },
    });
    const transfers = parse(z.array(nodeTransferSchema), response.body, 'GET /ops/transfers');
    // Only the token is taken from the Link target, never its host: the next call goes to the URL
    // we were configured with (a node behind a proxy may advertise another), with our credentials.
    return { transfers, nextIterationToken: nextIterationToken(response.headers.link, response.url) };
  };

  return {
    async ping() {
      await send('GET', '/ping', { ignoreBody: true });
    },

    async info() {
      return parse(nodeInfoSchema, (await send('GET', '/info')).body, 'GET /info');
    },

    async accessKeySelf() {
      return parse(accessKeySchema, (await send('GET', '/access_keys/self')).body, 'GET /access_keys/self');
    },

    async setTokenVerificationKey(accessKeyId, publicPem) {
      await send('PUT', `/access_keys/${encodeURIComponent(accessKeyId)}`, { json: { token_verification_key: publicPem }, emptyOk: true });
    },

    async browse({ path, skip, count, sort }) {
      const response = await send('POST', '/files/browse', { json: { path, skip, count, sort } });
      const body = parse(browseResponseSchema, response.body, 'POST /files/browse');
      return { self: body.self ?? null, items: body.items ?? [], totalCount: body.total_count ?? null };
    },

    async fileById(id) {
      return parse(fileIdEntrySchema, (await send('GET', `/files/${encodeURIComponent(id)}`)).body, 'GET /files/{id}');
    },

    async filesOf(id, { page, perPage }) {
      const response = await send('GET', `/files/${encodeURIComponent(id)}/files`, {
        query: { page: String(page), per_page: String(perPage) },
      });
      const entries = parse(z.array(fileIdEntrySchema), response.body, 'GET /files/{id}/files');
      const total = Number(response.headers['x-total-count']);
      return { entries, totalCount: Number.isFinite(total) && response.headers['x-total-count'] !== undefined ? total : null };
    },

    async permissionsOn(fileId) {
      const response = await send('GET', '/permissions', { query: { file_id: fileId, per_page: '1000' } });
      return parse(z.array(permissionSchema), response.body, 'GET /permissions');
    },

    async createPermission({ fileId, accessType, accessId, accessLevels }) {
      const json = { file_id: fileId, access_type: accessType, access_id: accessId, access_levels: accessLevels };
      return parse(permissionSchema, (await send('POST', '/permissions', { json })).body, 'POST /permissions');
    },

    async deletePermission(id) {
      await send('DELETE', `/permissions/${encodeURIComponent(id)}`, { emptyOk: true });
    },

    async createFolderIn(parentId, name) {
      await send('POST', `/files/${encodeURIComponent(parentId)}/files`, { json: { name, type: 'folder' }, emptyOk: true });
    },

    async renameById(id, name) {
      await send('PUT', `/files/${encodeURIComponent(id)}`, { json: { name }, emptyOk: true });
    },

    async deleteById(id) {
      await send('DELETE', `/files/${encodeURIComponent(id)}`, { emptyOk: true });
    },

    async createFolders(paths) {
      const response = await send('POST', '/files/create', { json: { paths: paths.map((path) => ({ path, type: 'directory' })) } });
      return toPathResults(paths, readPathErrors(response.body, paths.length, 'POST /files/create'));
    },

    async deletePaths(paths) {
      // recursive_delete defaults to true (docs/node-api.md §3); left to the node so older versions are not confused.
      const response = await send('POST', '/files/delete', { json: { paths: paths.map((path) => ({ path })) } });
      return toPathResults(paths, readPathErrors(response.body, paths.length, 'POST /files/delete'));
    },

    async rename(items) {
      const json = { paths: items.map((i) => ({ path: i.parent, source: i.source, destination: i.destination })) };
      const errors = readPathErrors((await send('POST', '/files/rename', { json })).body, items.length, 'POST /files/rename');
      return items.map((item, i) => {
        const error = errors[i];
        return error ? { ...item, ok: false as const, error } : { ...item, ok: true as const };
      });
    },

    async uploadSetup(requests) {
      return setup(send, '/files/upload_setup', requests);
    },

    async downloadSetup(requests) {
      return setup(send, '/files/download_setup', requests);
    },

    listTransfers,

    followTransfers(lastToken, options) {
      return followTransferPages(listTransfers, lastToken, options);
    },

    async getTransfer(id) {
      const response = await send('GET', `/ops/transfers/${encodeURIComponent(id)}`);
      return parse(nodeTransferSchema, response.body, 'GET /ops/transfers/{id}');
    },

    async cancelTransfer(id) {
      // PUT rather than the CANCEL method: HSTS accepts both, Node-based nodes cannot parse CANCEL (§5).
      await send('PUT', `/ops/transfers/${encodeURIComponent(id)}`, { json: { status: 'canceled' }, emptyOk: true });
    },

    async startTransfer(spec) {
      // docs/node-api.md §5.1: the answer carries the node's transfer id, followed like any other.
      const response = await send('POST', '/ops/transfers', { json: spec });
      return parse(nodeTransferSchema, response.body, 'POST /ops/transfers');
    },
  };
}

async function setup(send: Send, path: string, requests: TransferRequest[]): Promise<SetupResult[]> {
  const json = { transfer_requests: requests.map((transfer_request) => ({ transfer_request })) };
  return readSetupResults((await send('POST', path, { json })).body, requests.length, `POST ${path}`);
}

function toPathResults(paths: string[], errors: ReturnType<typeof readPathErrors>): PathResult[] {
  return paths.map((path, i) => {
    const error = errors[i];
    return error ? { path, ok: false, error } : { path, ok: true };
  });
}
