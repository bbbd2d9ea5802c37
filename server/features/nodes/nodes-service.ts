import type { TransferNode } from '../../../contract/nodes';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import { NodeApiError } from '../../node-client/node-api-error';
import type { NodeClients } from './node-clients';
import type { NewNode, NodeRow, NodesRepository } from './nodes-repository';

export const EMBEDDED_NODE_NAME = 'embedded';

export function toTransferNode(row: NodeRow): TransferNode {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    username: row.username,
    gatewayUrl: row.gateway_url,
    verifyTls: row.verify_tls === 1,
    kind: row.kind,
    isDefault: row.is_default === 1,
  };
}

export function createNodesService(deps: { nodes: NodesRepository; clients: NodeClients }) {
  const { nodes, clients } = deps;
  const requireAdmin = (user: User) => {
    if (!user.isAdmin) throw ERRORS.Forbidden('manage transfer nodes');
  };

  return {
    async list(user: User): Promise<TransferNode[]> {
      requireAdmin(user);
      return (await nodes.list()).map(toTransferNode);
    },

    async add(user: User, node: NewNode): Promise<TransferNode> {
      requireAdmin(user);
      if (await nodes.findByName(node.name)) throw ERRORS.Conflict(`A node named "${node.name}" already exists.`);
      return toTransferNode(await nodes.insert(node));
    },

    /** "Connect and show /info": proves the URL and the credentials, without saving anything. */
    async test(user: User, nodeId: string) {
      requireAdmin(user);
      const { node, client } = await clients.forNode(nodeId);
      try {
        const info = await client.info();
        return {
          ok: true,
          info: { version: info.version ?? null, transferUser: info.transfer_user ?? null, currentTime: info.current_time ?? null },
        };
      } catch (error) {
        if (!(error instanceof NodeApiError)) throw error;
        const why: Record<NodeApiError['kind'], string> = {
          unavailable: 'no answer (check the URL, the port and TLS settings)',
          auth: 'the node refused the credentials',
          forbidden: 'the credentials may not read /info on this node',
          not_found: 'no Node API at this URL',
          conflict: 'unexpected answer',
          bad_request: 'the node refused the request',
          bad_response: 'the answer is not a Node API answer',
          node_error: 'the node reported an internal error',
        };
        return { ok: false, message: `${node.name}: ${why[error.kind]}` };
      }
    },

    async remove(user: User, nodeId: string): Promise<void> {
      requireAdmin(user);
      if (!(await nodes.findRow(nodeId))) throw ERRORS.NodeNotFound();
      if (await nodes.isInUse(nodeId)) throw ERRORS.Conflict('Spaces still use this node; move or delete them first.');
      await nodes.delete(nodeId);
      clients.forget(nodeId);
    },

    /**
     * Registers (or updates, when its credentials or port changed) the embedded node at start-up,
     * as the default node when there is none.
     */
    async registerEmbedded(embedded: { url: string; username: string; secret: string; gatewayUrl: string }): Promise<void> {
      const existing = await nodes.findByName(EMBEDDED_NODE_NAME);
      if (existing) {
        await nodes.updateConnection(existing.id, {
          url: embedded.url,
          username: embedded.username,
          secret: embedded.secret,
          gatewayUrl: embedded.gatewayUrl,
        });
        clients.forget(existing.id);
        return;
      }
      await nodes.insert({
        name: EMBEDDED_NODE_NAME,
        ...embedded,
        verifyTls: true,
        kind: 'embedded',
        isDefault: (await nodes.defaultNode()) === undefined,
      });
    },
  };
}

export type NodesService = ReturnType<typeof createNodesService>;
