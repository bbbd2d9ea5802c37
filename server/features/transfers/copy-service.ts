import { randomUUID } from 'node:crypto';
import type { User } from '../../../contract/session';
import { baseName } from '../../../contract/space-path';
import type { CopyRequest, TransferRecord } from '../../../contract/transfers';
import { ERRORS } from '../../errors';
import type { TransferSpec } from '../../node-client/types';
import { folderLookup } from '../files/folder-names';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { SpaceAccess } from '../spaces/space-access';
import { spaceToNodePath } from '../spaces/space-path';
import type { SpacesRepository } from '../spaces/spaces-repository';
import { toTransferRecord, type TransferRow, type TransfersRepository } from './transfers-repository';

/**
 * Copy and Move between spaces, node to node without the browser (scenario S6, docs/node-api.md
 * §5.1): read on the source (and delete, for a Move) and upload on the destination are authorized
 * and audited; the destination node's `upload_setup` gives the spec; the source node is asked to
 * carry it with `POST /ops/transfers`. The record is the user's transfer into the destination
 * folder, tagged so the tracker (scenario S7) follows it on the source node like any other. A Move
 * deletes the originals only once that node reports the copy complete (`transferEnded`).
 */
export function createCopyService(deps: {
  access: SpaceAccess;
  spaces: Pick<SpacesRepository, 'find'>;
  clients: NodeClients;
  transfers: TransfersRepository;
  tokenLifeSeconds: () => number;
  onChange: () => void;
  log: { warn: (obj: object, msg: string) => void };
}) {
  const { access, clients, transfers, onChange } = deps;

  async function copy(user: User, sourceSpaceId: string, request: CopyRequest): Promise<TransferRecord> {
    const operation = request.move ? 'move' : 'copy';
    const paths: string[] = [];
    for (const raw of request.paths) paths.push(await access.confine(user, sourceSpaceId, 'download', raw));
    if (paths.includes('/')) throw ERRORS.BadRequest('A whole space cannot be copied or moved; choose its files and folders.');
    const folder = await access.confine(user, request.to.spaceId, 'upload', request.to.folder);
    const { space: source } = await access.authorize(user, sourceSpaceId, 'download', paths.join('\n'));
    if (request.move) await access.authorize(user, sourceSpaceId, 'delete', paths.join('\n'));
    const { space: destination } = await access.authorize(user, request.to.spaceId, 'upload', folder);

    const sourceNodePaths = paths.map((p) => spaceToNodePath(source.root_path, p));
    const destinationNodePath = spaceToNodePath(destination.root_path, folder);
    // A folder copied into itself would never end; on one node, node paths say it exactly.
    if (
      source.node_id === destination.node_id &&
      sourceNodePaths.some((p) => destinationNodePath === p || destinationNodePath.startsWith(`${p}/`))
    )
      throw ERRORS.BadRequest('A folder cannot be copied or moved into itself.');
    const names = paths.map((p) => baseName(p));
    if (new Set(names).size !== names.length) throw ERRORS.BadRequest('Two of the chosen items have the same name.');
    if (request.move && source.id === destination.id && paths.every((p) => parentOf(p) === folder))
      throw ERRORS.BadRequest('The items are already in this folder.');

    const target = await clients.forNode(destination.node_id);
    // Nothing is replaced: an existing name is the person's to resolve (as for uploads).
    const lookup = await folderLookup(target.client, destinationNodePath, names).catch((error: unknown) => {
      throw nodeFailure(target.node.name, error);
    });
    for (const name of names) if ((await lookup(name)) !== null) throw ERRORS.NameTaken(`${folder === '/' ? '' : folder}/${name}`);

    const id = randomUUID();
    const spec = await uploadSetup(target, destinationNodePath, names, id);
    const from = await clients.forNode(source.node_id);
    const started = await from.client
      .startTransfer({
        ...spec,
        paths: sourceNodePaths.map((p, i) => ({ source: p, destination: names[i] as string })),
        overwrite: 'never',
      })
      .catch((error: unknown) => {
        throw nodeFailure(from.node.name, error, { notFound: () => ERRORS.PathNotFound(paths.join(', ')) });
      });
    const now = Date.now();
    const row: TransferRow = {
      id,
      user_id: user.id,
      space_id: destination.id,
      node_id: source.node_id,
      direction: 'upload',
      title: `${request.move ? 'Move' : 'Copy'} ${names.length === 1 ? names[0] : `${names.length} items`} to ${baseName(folder) || destination.name}`,
      folder,
      paths_json: JSON.stringify(paths),
      file_count: paths.length,
      bytes_expected: null,
      bytes_transferred: 0,
      client: null,
      status: 'running',
      node_transfer_id: started.id,
      error: null,
      created_at: now,
      updated_at: now,
      started_at: now,
      ended_at: null,
      operation,
      source_space_id: source.id,
      source_removed_at: null,
    };
    await transfers.insert(row);
    onChange();
    return toTransferRecord(row);
  }

  async function uploadSetup(target: Awaited<ReturnType<NodeClients['forNode']>>, destinationRoot: string, names: string[], id: string) {
    const tags = { courier: { transfer_id: id } };
    const request =
      target.node.kind === 'embedded'
        ? // The embedded node binds the token to these names, each anything below it (docs/node-api.md §1.4).
          {
            destination_root: destinationRoot,
            paths: names.map((n) => ({ source: n, destination: n })),
            overwrite: 'never' as const,
            tags,
          }
        : // A real HSTS binds its token to the destination folder (docs/node-api.md §1.4).
          { paths: [{ destination: destinationRoot }], tags };
    const results = await target.client
      .uploadSetup([{ ...request, token_life_seconds: deps.tokenLifeSeconds() }])
      .catch((error: unknown) => {
        throw nodeFailure(target.node.name, error);
      });
    const [result] = results;
    if (!result) throw ERRORS.NodeUnavailable(target.node.name);
    if (!result.ok) throw ERRORS.NodeRefused(target.node.name, result.error.message);
    return result.transferSpec as TransferSpec;
  }

  /** A Move whose copy completed: the originals go now, never earlier. Told by the tracker. */
  async function transferEnded(row: TransferRow): Promise<void> {
    if (row.operation !== 'move' || row.status !== 'completed' || row.source_removed_at || !row.source_space_id) return;
    const paths = JSON.parse(row.paths_json) as string[];
    const { node, client } = await clients.forNode(row.node_id);
    const rootPath = (await deps.spaces.find(row.source_space_id))?.root_path;
    if (rootPath === undefined) {
      deps.log.warn({ transferId: row.id }, 'a move completed but its source space is gone; nothing deleted');
      return;
    }
    const results = await client.deletePaths(paths.map((p) => spaceToNodePath(rootPath, p))).catch((error: unknown) => {
      throw nodeFailure(node.name, error);
    });
    const failed = results.filter((r) => !r.ok);
    await transfers.update(row.id, {
      source_removed_at: Date.now(),
      ...(failed.length > 0 ? { error: `Copied, but ${failed.length} original(s) could not be deleted on ${node.name}.` } : {}),
    });
    onChange();
  }

  return { copy, transferEnded };
}

export type CopyService = ReturnType<typeof createCopyService>;

function parentOf(path: string): string {
  const parent = path.replace(/\/[^/]+\/?$/, '');
  return parent === '' ? '/' : parent;
}
