import { randomUUID } from 'node:crypto';
import type { User } from '../../../contract/session';
import { baseName } from '../../../contract/space-path';
import type { CreateTransferRequest, CreateTransferResponse, TransferClientKind } from '../../../contract/transfers';
import type { AppError } from '../../errors';
import { roleAllows } from '../../../contract/roles';
import { ERRORS } from '../../errors';
import type { ItemError, SetupResult, TransferRequest, TransferSpec } from '../../node-client/types';
import type { A3Access } from '../nodes/a3-access';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { SpaceAccess } from '../spaces/space-access';
import { fromNodePath, spaceToNodePath } from '../spaces/space-path';
import { folderLookup, readWholeFolder } from '../files/folder-names';
import { createOnce, type IdempotencyKeys, type Order } from './idempotency-keys';
import { createTransferRecords } from './transfer-records';
import { toTransferRecord, type TransferRow, type TransfersRepository } from './transfers-repository';

const MAX_RECORDED_PATHS = 100;
// What one download_setup may name (docs/node-api.md §4), as the request schema allows.
const MAX_DOWNLOAD_PATHS = 1000;

const topName = (path: string) => path.split('/')[0] as string;

type UploadRequest = Extract<CreateTransferRequest, { direction: 'upload' }>;
type DownloadRequest = Extract<CreateTransferRequest, { direction: 'download' }>;

/**
 * Transfer authorization, scenario S5: check the role on the confined path, ask the space's node
 * for a token-authorized spec (`/files/upload_setup` or `/files/download_setup`), record the
 * transfer, and return the spec with the clients that may carry it. Nothing is recorded when the
 * node refuses, so no record ever claims a transfer that could not happen.
 */
export function createTransfersService(deps: {
  access: SpaceAccess;
  clients: NodeClients;
  /** A3 nodes: transfers are set up with the person's own bearer token (docs/node-api.md §6.5). */
  a3?: A3Access;
  transfers: TransfersRepository;
  /** Idempotency-Keys of `POST /api/transfers` (docs/api.md §8). */
  keys: IdempotencyKeys;
  /** Read for each transfer: an admin changes it at run time (server/features/settings/runtime-settings.ts). */
  tokenLifeSeconds: () => number;
  onChange: () => void;
}) {
  const { access, clients, a3, transfers, keys, tokenLifeSeconds, onChange } = deps;

  const confine = access.confine;

  async function upload(user: User, request: UploadRequest, order: Order): Promise<CreateTransferResponse> {
    const folder = await confine(user, request.spaceId, 'upload', request.folder);
    const files: Array<{ path: string; size: number }> = [];
    for (const f of request.files) files.push({ path: (await confine(user, request.spaceId, 'upload', f.path)).slice(1), size: f.size });
    const emptyFolders: string[] = [];
    for (const f of request.emptyFolders) emptyFolders.push((await confine(user, request.spaceId, 'upload', f)).slice(1));
    if (files.some((f) => f.path === '')) throw ERRORS.InvalidPath('', 'is not a file name');

    const { space, role } = await access.authorize(user, request.spaceId, 'upload', folder);
    const { id } = order;
    const destination = spaceToNodePath(space.root_path, folder);
    for (const f of files) spaceToNodePath(destination, `/${f.path}`);
    const target = await clients.forNode(space.node_id);
    const replace = await checkNames(target, destination, request, files, emptyFolders, roleAllows(role, 'delete'));
    const keeps = (path: string) => !replace.has(topName(path));
    // The token may replace only when the person chose to replace something; then every other file
    // is kept from replacing, one by one (docs/node-api.md §1.4).
    const overwrite = replace.size > 0 ? 'always' : 'never';
    const setupRequest: TransferRequest =
      target.node.kind === 'embedded'
        ? // The embedded node binds the token to these files and sizes and to the overwrite policy.
          {
            destination_root: destination,
            paths: files.map((f) => ({
              source: f.path,
              destination: f.path,
              size: f.size,
              ...(overwrite === 'always' && keeps(f.path) ? { overwrite: 'never' as const } : {}),
            })),
            ...(overwrite === 'never' ? { overwrite } : {}),
          }
        : // A real HSTS binds its token to the destination folder (docs/node-api.md §1.4).
          { paths: [{ destination }] };
    const spec = await setup(target, 'upload', { ...setupRequest, tags: { courier: { transfer_id: id } } }, folder, user);
    // Empty folders carry no bytes, and the gateway pairs every spec path with a file part
    // (docs/http-gateway.md §3.1), so they are created now through the Node API.
    if (emptyFolders.length > 0)
      await clients.ensureFolders(
        space.node_id,
        emptyFolders.map((p) => spaceToNodePath(space.root_path, `${folder === '/' ? '' : folder}/${p}`)),
      );
    const bytesExpected = files.reduce((sum, f) => sum + f.size, 0);
    // docs/node-api.md §4: the client replaces `paths` with what it sends and keeps destination_root and
    // the token; for the gateway and the SDK, `destination` is where each file lands under the root.
    const transferSpec = {
      ...spec.transferSpec,
      paths: files.map((f) => ({ source: f.path, destination: f.path })),
      title: uploadTitle(files, folder),
      // Clients honour it; the embedded node also enforces it from the token.
      overwrite,
    };
    // What the history shows: the dropped items (top-level names), not every file of a 20,000-file tree.
    const dropped = [...new Set(files.map((f) => topName(f.path)))];
    return record(user, request, spec, transferSpec, {
      ...order,
      folder,
      paths: dropped,
      fileCount: files.length,
      bytesExpected,
      title: transferSpec.title,
    });
  }

  /**
   * Name conflicts are decided by the person, never silently (the SPA asks first): a top-level name
   * of the upload that exists must be one they chose to replace, and only a role that may delete
   * may replace. "Keep both" arrives as a renamed path, checked free here like any other.
   * Returns the top-level names that may replace.
   */
  async function checkNames(
    target: Awaited<ReturnType<NodeClients['forNode']>>,
    destination: string,
    request: UploadRequest,
    files: Array<{ path: string }>,
    emptyFolders: string[],
    mayReplace: boolean,
  ): Promise<Set<string>> {
    const tops = [...new Set([...files.map((f) => topName(f.path)), ...emptyFolders.map(topName)])];
    const replace = new Set(request.replace.map((name) => name.normalize('NFC').replace(/^\/+|\/+$/g, '')));
    if (replace.size > 0 && !mayReplace) throw ERRORS.Forbidden('replace existing files in this space');
    for (const name of replace) if (!tops.includes(name)) throw ERRORS.BadRequest(`${name} is not a top-level name of this upload.`);
    const lookup = await folderLookup(target.client, destination, tops).catch((error: unknown) => {
      throw nodeFailure(target.node.name, error);
    });
    for (const name of tops) {
      if (replace.has(name)) continue;
      const kind = await lookup(name).catch((error: unknown) => {
        throw nodeFailure(target.node.name, error);
      });
      // An empty folder of the drop that exists already is no conflict: nothing would be replaced.
      if (kind && !(kind === 'folder' && !files.some((f) => topName(f.path) === name))) throw ERRORS.NameTaken(name);
    }
    return replace;
  }

  async function download(
    user: User,
    request: DownloadRequest,
    order: Order & { shareId?: string | null },
  ): Promise<CreateTransferResponse> {
    const { id, shareId = null } = order;
    const paths: string[] = [];
    if (request.allOf !== undefined) paths.push(...(await wholeFolder(user, request.spaceId, request.allOf, request.except)));
    for (const raw of request.paths) paths.push(await confine(user, request.spaceId, 'download', raw));
    const { space } = await access.authorize(user, request.spaceId, 'download', paths.join('\n'));
    // Sources relative to the space's root, so the browser sees space paths, not the node's layout.
    const sourceRoot = spaceToNodePath(space.root_path, '/');
    const target = await clients.forNode(space.node_id);
    const spec = await setup(
      target,
      'download',
      { source_root: sourceRoot, paths: paths.map((p) => ({ source: p.slice(1) || '.' })), tags: { courier: { transfer_id: id } } },
      paths[0] ?? '/',
      user,
    );
    const expected = gatewayTag(spec.transferSpec, 'expected_size');
    const single = paths.length === 1 ? (paths[0] ?? '/') : null;
    const title =
      request.allOf !== undefined
        ? `${request.except.length > 0 ? `${paths.length} items of` : 'All of'} ${baseName(request.allOf.replace(/\/+$/, '')) || 'the space'}`
        : single
          ? baseName(single) || 'All files'
          : `${paths.length} items`;
    // docs/transfer-spec.md §2.3: several paths or a folder come back from any gateway as one zip only
    // when the spec asks, named `<download_name>.zip`: after the folder (the space at its root), or
    // for a selection after the space and the day.
    const zipName =
      request.allOf !== undefined && request.except.length === 0
        ? baseName(request.allOf.replace(/\/+$/, '')) || space.name
        : single === null
          ? `${space.name} ${new Date().toISOString().slice(0, 10)}`
          : single === '/' || (await isFolder(target, spaceToNodePath(space.root_path, single), single))
            ? baseName(single) || space.name
            : null;
    const transferSpec = { ...spec.transferSpec, title, ...(zipName === null ? {} : { zip_required: true, download_name: zipName }) };
    return record(user, request, spec, transferSpec, {
      ...order,
      shareId,
      folder: commonParent(paths),
      paths,
      fileCount: paths.length,
      bytesExpected: typeof expected === 'number' ? expected : null,
      title,
    });
  }

  /** Whether a node path is a folder; a path the node cannot stat was refused by the setup already. */
  async function isFolder(target: Awaited<ReturnType<NodeClients['forNode']>>, nodePath: string, spacePath: string): Promise<boolean> {
    try {
      const { self } = await target.client.browse({ path: nodePath, count: 1 });
      return self?.type === 'directory';
    } catch (error) {
      throw nodeFailure(target.node.name, error, { notFound: () => ERRORS.PathNotFound(spacePath) });
    }
  }

  /**
   * "All of this folder": its entries as the node lists them now, never a list the browser sent.
   * Past what a record keeps (so that a retry asks for the same thing), the folder itself is downloaded.
   */
  async function wholeFolder(user: User, spaceId: string, rawFolder: string, rawExcept: string[]): Promise<string[]> {
    const folder = await confine(user, spaceId, 'download', rawFolder);
    const except = new Set<string>();
    for (const raw of rawExcept) except.add(await confine(user, spaceId, 'download', raw));
    const { space } = await access.authorize(user, spaceId, 'download', folder);
    const { node, client } = await clients.forNode(space.node_id);
    const entries = await readWholeFolder(client, spaceToNodePath(space.root_path, folder)).catch((error: unknown) => {
      throw nodeFailure(node.name, error);
    });
    const paths = entries.flatMap((entry) => fromNodePath(space.root_path, entry.path) ?? []).filter((path) => !except.has(path));
    if (paths.length === 0) throw ERRORS.BadRequest(`Nothing is left to download in ${folder}.`);
    if (except.size === 0) return paths.length > MAX_RECORDED_PATHS ? [folder] : paths;
    // Some left out: the rest by name, as many as one download may name (docs/node-api.md §4).
    if (paths.length > MAX_DOWNLOAD_PATHS)
      throw ERRORS.BadRequest(`A download may name at most ${MAX_DOWNLOAD_PATHS} items; download the whole folder, or select fewer items.`);
    return paths;
  }

  async function setup(
    target: Awaited<ReturnType<NodeClients['forNode']>>,
    direction: 'upload' | 'download',
    request: TransferRequest,
    pathForErrors: string,
    /** Who the transfer is for: on an A3 node the spec then carries their bearer token, which the node holds to their permissions. */
    user?: User,
  ) {
    const { node } = target;
    const client = (user && (await a3?.userClient(node, user))) || target.client;
    // docs/node-api.md §4 `token_life_seconds`: HSTS 3.6.3 and later honour it, as the embedded node does.
    const life = tokenLifeSeconds();
    const transferRequest = { ...request, token_life_seconds: life };
    let results: SetupResult[];
    try {
      results = direction === 'upload' ? await client.uploadSetup([transferRequest]) : await client.downloadSetup([transferRequest]);
    } catch (error) {
      throw nodeFailure(node.name, error, { notFound: () => ERRORS.PathNotFound(pathForErrors) });
    }
    const [result] = results;
    if (!result) throw ERRORS.NodeUnavailable(node.name);
    if (!result.ok) throw setupFailure(node.name, pathForErrors, result.error);
    return { node, transferSpec: result.transferSpec, tokenLifeSeconds: life };
  }

  async function record(
    user: User,
    request: { spaceId: string | null; direction: 'upload' | 'download'; client?: TransferClientKind | undefined },
    spec: Awaited<ReturnType<typeof setup>>,
    transferSpec: TransferSpec,
    fields: {
      id: string;
      /** A repeat's record (docs/api.md §8): answered as it is now, with the fresh spec, and not inserted again. */
      existing?: TransferRow | undefined;
      shareId?: string | null;
      packageId?: string | null;
      folder: string;
      paths: string[];
      fileCount: number;
      bytesExpected: number | null;
      title: string;
    },
  ): Promise<CreateTransferResponse> {
    const gatewayUrl = spec.node.gatewayUrl ?? stringTag(gatewayTag(transferSpec, 'url'));
    const clientOptions: CreateTransferResponse['clients'] = [];
    // Desktop needs a real FASP server at remote_host; the embedded node moves bytes only over HTTP.
    if (spec.node.kind === 'hsts') clientOptions.push({ type: 'desktop' });
    if (gatewayUrl) clientOptions.push({ type: 'http-gateway', url: gatewayUrl });
    const now = Date.now();
    const row: TransferRow = {
      id: fields.id,
      user_id: user.id,
      space_id: request.spaceId,
      node_id: spec.node.id,
      direction: request.direction,
      title: fields.title,
      folder: fields.folder,
      // Bounded, so listing a hundred transfers stays a small answer whatever was dropped.
      paths_json: JSON.stringify(fields.paths.slice(0, MAX_RECORDED_PATHS)),
      file_count: fields.fileCount,
      bytes_expected: fields.bytesExpected,
      bytes_transferred: 0,
      // A share's recipient names the client their page means to use before it sees `clients`
      // (docs/sharing.md §10): one the node cannot serve is not what will carry it.
      client: (request.client && (!fields.shareId || clientOptions.some((c) => c.type === request.client))
        ? request.client
        : (clientOptions[0]?.type ?? null)) as TransferClientKind | null,
      status: 'authorized',
      node_transfer_id: null,
      error: null,
      created_at: now,
      updated_at: now,
      started_at: null,
      ended_at: null,
      share_id: fields.shareId ?? null,
      package_id: fields.packageId ?? null,
    };
    const answer = (saved: TransferRow): CreateTransferResponse => ({
      transfer: toTransferRecord(saved),
      transferSpec,
      clients: clientOptions,
      tokenLifeSeconds: spec.tokenLifeSeconds,
    });
    if (fields.existing) return answer(fields.existing);
    try {
      await transfers.insert(row);
    } catch (error) {
      // The id is taken: a slow first request and the repeat that took its claim over both got this
      // far (docs/api.md §8). The first insert is the record; this answer is for it, with its own spec.
      const saved = await transfers.find(fields.id);
      if (saved) return answer(saved);
      throw error;
    }
    onChange();
    return answer(row);
  }

  const authorizeAs = (user: User, request: CreateTransferRequest, order: Order) =>
    request.direction === 'upload' ? upload(user, request, order) : download(user, request, order);

  return {
    /** `idempotencyKey`: the request's Idempotency-Key, when it sent one (docs/api.md §8). */
    create: (user: User, request: CreateTransferRequest, idempotencyKey?: string) =>
      idempotencyKey === undefined
        ? authorizeAs(user, request, { id: randomUUID() })
        : createOnce({ keys, find: transfers.find, authorize: authorizeAs }, user, request, idempotencyKey),

    /**
     * A download through a share link (docs/sharing.md §5): authorized exactly as `user` (the
     * sharer, with their rights of now) downloading it, and recorded with the link's id, which is
     * how its completion is later counted against the link.
     */
    downloadForShare: (sharer: User, request: DownloadRequest, shareId: string) => download(sharer, request, { id: randomUUID(), shareId }),

    /**
     * A package's upload or download (docs/packages.md §2): the package service has decided who may
     * do it and which node paths it names; this asks the node for the spec and records the transfer
     * under the package (no space), answering as `create` does.
     */
    async forPackage(
      user: User,
      order: {
        packageId: string;
        nodeId: string;
        direction: 'upload' | 'download';
        request: TransferRequest;
        /** What the client is handed besides the node's spec (paths for an upload, zip naming). */
        specExtra: Partial<TransferSpec>;
        title: string;
        paths: string[];
        fileCount: number;
        bytesExpected: number | null;
        client?: TransferClientKind | undefined;
        transferId: string;
      },
    ): Promise<CreateTransferResponse> {
      const target = await clients.forNode(order.nodeId);
      const spec = await setup(target, order.direction, { ...order.request, tags: { courier: { transfer_id: order.transferId } } }, '/');
      const expected = order.bytesExpected ?? gatewayTag(spec.transferSpec, 'expected_size');
      return record(
        user,
        { spaceId: null, direction: order.direction, client: order.client },
        spec,
        { ...spec.transferSpec, ...order.specExtra, title: order.title },
        {
          id: order.transferId,
          packageId: order.packageId,
          folder: '/',
          paths: order.paths,
          fileCount: order.fileCount,
          bytesExpected: typeof expected === 'number' ? expected : null,
          title: order.title,
        },
      );
    },

    ...createTransferRecords({ clients, transfers, onChange }),
  };
}

export type TransfersService = ReturnType<typeof createTransfersService>;

function gatewayTag(spec: TransferSpec, key: string): unknown {
  const aspera = (spec.tags as { aspera?: Record<string, unknown> } | null | undefined)?.aspera;
  const gateway = aspera?.['http-gateway'] as Record<string, unknown> | undefined;
  return gateway?.[key];
}

const stringTag = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

function setupFailure(nodeName: string, path: string, error: ItemError): AppError {
  if (error.status === 404) return ERRORS.PathNotFound(path);
  if (error.status === 403 || error.status === 400) return ERRORS.NodeDeclined(nodeName, error.status, error.message || `refused ${path}`);
  if (error.status === 409) return ERRORS.NameTaken(path);
  return ERRORS.NodeRefused(nodeName, error.message);
}

function uploadTitle(files: Array<{ path: string }>, folder: string): string {
  const tops = new Set(files.map((f) => f.path.split('/')[0]));
  const where = folder === '/' ? '' : ` to ${baseName(folder)}`;
  if (tops.size === 1) return `${[...tops][0]}${where}`;
  return `${files.length} files${where}`;
}

function commonParent(paths: string[]): string {
  const split = paths.map((p) => p.split('/').filter(Boolean).slice(0, -1));
  const first = split[0] ?? [];
  let n = first.length;
  for (const s of split) {
    let i = 0;
    while (i < n && s[i] === first[i]) i++;
    n = i;
  }
  return `/${first.slice(0, n).join('/')}`;
}
