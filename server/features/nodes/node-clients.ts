import { createHash } from 'node:crypto';
import { ERRORS } from '../../errors';
import { NodeApiError } from '../../node-client/node-api-error';
import { createNodeClient, type NodeClient } from '../../node-client/node-client';
import type { NodeConnectionInfo, NodesRepository } from './nodes-repository';

/**
 * Node clients by node, reused across requests (each holds its own connection pool), and rebuilt
 * when an admin changes the node's URL or credentials.
 */
export function createNodeClients(nodes: NodesRepository, factory: (info: NodeConnectionInfo) => NodeClient = defaultFactory) {
  const cache = new Map<string, { fingerprint: string; client: NodeClient }>();
  return {
    async forNode(nodeId: string): Promise<{ node: NodeConnectionInfo; client: NodeClient }> {
      const node = await nodes.connection(nodeId);
      if (!node) throw ERRORS.NodeNotFound();
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([node.url, node.username, node.secret, node.verifyTls]))
        .digest('hex');
      let entry = cache.get(nodeId);
      if (!entry || entry.fingerprint !== fingerprint) {
        entry = { fingerprint, client: factory(node) };
        cache.set(nodeId, entry);
      }
      return { node, client: entry.client };
    },
    /**
     * Creates folders on a node with all their parents, shallowest first, in one Node API call;
     * a folder that exists already (409, per item or for the whole request) is fine.
     */
    async ensureFolders(nodeId: string, nodePaths: string[]): Promise<void> {
      const { node, client } = await this.forNode(nodeId);
      const all = [
        ...new Set(
          nodePaths.flatMap((p) =>
            p
              .split('/')
              .filter(Boolean)
              .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`),
          ),
        ),
      ];
      all.sort((a, b) => a.split('/').length - b.split('/').length);
      if (all.length === 0) return;
      const results = await client.createFolders(all).catch((error: unknown) => {
        if (error instanceof NodeApiError && error.kind === 'conflict') return [];
        throw nodeFailure(node.name, error);
      });
      const failed = results.find((r) => !r.ok && r.error.status !== 409);
      if (failed && !failed.ok) throw ERRORS.NodeRefused(node.name, failed.error.message);
    },
    forget(nodeId: string): void {
      cache.delete(nodeId);
    },
  };
}

export type NodeClients = ReturnType<typeof createNodeClients>;

function defaultFactory(info: NodeConnectionInfo): NodeClient {
  return createNodeClient({
    url: info.url,
    auth: { type: 'basic', username: info.username, password: info.secret },
    verifyTls: info.verifyTls,
  });
}

/**
 * A node's failure as the portal's error: the node's name and its own words, never its URL or
 * our credentials. Not-found and conflict get the caller's context (`notFound`, `conflict`).
 */
export function nodeFailure(nodeName: string, error: unknown, context: { notFound?: () => Error; conflict?: () => Error } = {}): Error {
  if (!(error instanceof NodeApiError)) return error instanceof Error ? error : new Error(String(error));
  switch (error.kind) {
    case 'not_found':
      return context.notFound?.() ?? ERRORS.NodeRefused(nodeName, error.nodeMessage ?? 'not found');
    case 'conflict':
      return context.conflict?.() ?? ERRORS.NodeRefused(nodeName, error.nodeMessage ?? 'conflict');
    case 'unavailable':
    case 'node_error':
    case 'bad_response':
      return ERRORS.NodeUnavailable(nodeName);
    case 'auth':
      return ERRORS.NodeRefused(nodeName, "it does not accept the portal's credentials; an administrator must update them");
    case 'forbidden':
      return ERRORS.NodeDeclined(nodeName, 403, error.nodeMessage ?? 'forbidden');
    case 'bad_request':
      return ERRORS.NodeDeclined(nodeName, 400, error.nodeMessage ?? 'bad request');
  }
}
