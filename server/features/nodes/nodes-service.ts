import { createPublicKey } from 'node:crypto';
import type { AdminNode, NodeTransferRow, TransferNode } from '../../../contract/nodes';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import { generateTokenKeyPair } from '../../lib/bearer-token';
import { NodeApiError } from '../../node-client/node-api-error';
import { createNodeClient } from '../../node-client/node-client';
import { bytesExpected, type NodeInfo, type NodeTransfer } from '../../node-client/types';
import type { AuditLog } from '../audit/audit-log';
import type { A3Access } from './a3-access';
import { nodeFailure, type NodeClients } from './node-clients';
import type { NewNode, NodeConnectionInfo, NodeRow, NodesRepository } from './nodes-repository';

/** How long the console waits for a node's /info before showing it unreachable. */
export const PROBE_TIMEOUT_MS = 3000;

const WHY: Record<NodeApiError['kind'], string> = {
  unavailable: 'no answer (check the URL, the port and TLS settings)',
  auth: 'the node refused the credentials',
  forbidden: 'the credentials may not read /info on this node',
  not_found: 'no Node API at this URL',
  conflict: 'unexpected answer',
  bad_request: 'the node refused the request',
  bad_response: 'the answer is not a Node API answer',
  node_error: 'the node reported an internal error',
};

/** A failed /info as words: ours, then the node's status and its own text when it gave them. */
export function describeNodeFailure(error: NodeApiError, timeoutMs = PROBE_TIMEOUT_MS): string {
  if (error.kind === 'unavailable' && error.code === 'TIMEOUT') return `no answer within ${timeoutMs} ms`;
  const said = error.status === null ? '' : ` (HTTP ${error.status}${error.nodeMessage ? `: ${error.nodeMessage}` : ''})`;
  return `${WHY[error.kind]}${said}`;
}

type Probe = { ok: true; info: NodeInfo } | { ok: false; problem: string };

/**
 * The node's /info with these settings, with a short timeout; never throws for a node's failure.
 * Access-key credentials must also be the key they claim to be (`GET /access_keys/self`,
 * docs/node-api.md §6.1): a node user's password saved as an access key would give the portal the
 * whole docroot where the admin meant one tenant's storage.
 */
async function probe(
  connection: Pick<NodeConnectionInfo, 'url' | 'username' | 'secret' | 'verifyTls'> & { authType?: NodeConnectionInfo['authType'] },
): Promise<Probe> {
  const client = createNodeClient({
    url: connection.url,
    auth: { type: 'basic', username: connection.username, password: connection.secret },
    verifyTls: connection.verifyTls,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  let info: NodeInfo;
  try {
    info = await client.info();
  } catch (error) {
    if (!(error instanceof NodeApiError)) throw error;
    return { ok: false, problem: describeNodeFailure(error) };
  }
  if (connection.authType !== 'access_key') return { ok: true, info };
  try {
    const key = await client.accessKeySelf();
    if (key.id !== connection.username) return { ok: false, problem: `the node names this access key "${key.id}", not the id given` };
  } catch (error) {
    if (!(error instanceof NodeApiError)) throw error;
    return { ok: false, problem: `these credentials are not an access key on this node (${describeNodeFailure(error)})` };
  }
  return { ok: true, info };
}

function toTransferRow(t: NodeTransfer): NodeTransferRow {
  const spec = t.start_spec;
  const paths =
    spec?.direction === 'receive' || spec?.direction === 'download' ? (spec.source_paths ?? []) : [spec?.destination_path ?? ''];
  const files = (t.files ?? []).map((f) => f.path);
  return {
    id: t.id,
    status: t.status ?? 'unknown',
    direction: spec?.direction ?? null,
    paths: files.length > 0 ? files : paths.filter(Boolean),
    bytesTransferred: t.bytes_transferred ?? t.bytes_written ?? 0,
    bytesExpected: bytesExpected(t),
    filesCompleted: t.files_completed ?? 0,
    filesExpected: typeof t.precalc?.files_expected === 'number' ? t.precalc.files_expected : null,
    startedAt: typeof t.start_time_usec === 'number' && t.start_time_usec > 0 ? Math.floor(t.start_time_usec / 1000) : null,
  };
}

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
    authType: row.auth_type,
    bearerTokens: Boolean(row.token_key_sealed),
    isDefault: row.is_default === 1,
    packagesRoot: row.packages_root ?? null,
  };
}

export function createNodesService(deps: { nodes: NodesRepository; clients: NodeClients; audit?: AuditLog; a3?: A3Access }) {
  const { nodes, clients, audit, a3 } = deps;
  const requireAdmin = (user: User) => {
    if (!user.isAdmin) throw ERRORS.Forbidden('manage transfer nodes');
  };
  const record = (user: User, action: string, target: string, decision: 'allow' | 'deny', reason: string) =>
    audit?.record({ userId: user.id, action, target, decision, reason });
  /** Refuses settings the node does not accept, with the node's reason, writing the refusal to the audit log. */
  async function requireAccepted(user: User, action: string, connection: Parameters<typeof probe>[0]): Promise<void> {
    const result = await probe(connection);
    if (result.ok) return;
    await record(user, action, connection.url, 'deny', result.problem);
    throw ERRORS.Validation(`The node did not accept these settings: ${result.problem}.`);
  }

  /** A3 needs an access key: the node holds bearer tokens to the permissions of that key (docs/node-api.md §6.5). */
  const requireKeyForA3 = (bearerTokens: boolean | undefined, authType: NodeConnectionInfo['authType']) => {
    if (bearerTokens && authType !== 'access_key')
      throw ERRORS.Validation('Bearer tokens (A3) need a node registered with an access key, not with the node user.');
  };

  /**
   * Sets the public half of the node's signing key as the access key's `token_verification_key`
   * (a key may set its own, docs/node-api.md §6.1), or removes it (`null`). The private half never
   * leaves the portal.
   */
  async function setVerificationKey(
    user: User,
    action: string,
    connection: Pick<NodeConnectionInfo, 'url' | 'username' | 'secret' | 'verifyTls'>,
    privatePem: string | null,
  ): Promise<void> {
    const client = createNodeClient({
      url: connection.url,
      auth: { type: 'basic', username: connection.username, password: connection.secret },
      verifyTls: connection.verifyTls,
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    const publicPem = privatePem === null ? '' : createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
    try {
      await client.setTokenVerificationKey(connection.username, publicPem);
    } catch (error) {
      if (!(error instanceof NodeApiError)) throw error;
      const problem = `it did not take the portal's token verification key: ${describeNodeFailure(error)}`;
      await record(user, action, connection.url, 'deny', problem);
      throw ERRORS.Validation(`The node did not accept these settings: ${problem}.`);
    }
  }

  return {
    async list(user: User): Promise<TransferNode[]> {
      requireAdmin(user);
      return (await nodes.list()).map(toTransferNode);
    },

    /** Every node with what its /info says now (asked in parallel, each with a short timeout). */
    async adminList(user: User): Promise<AdminNode[]> {
      requireAdmin(user);
      const rows = await nodes.list();
      const counts = await nodes.spaceCounts();
      return Promise.all(
        rows.map(async (row) => {
          const connection = await nodes.connection(row.id);
          const result = connection ? await probe(connection) : ({ ok: false, problem: 'removed' } as const);
          return {
            ...toTransferNode(row),
            reachable: result.ok,
            version: result.ok ? (result.info.version ?? null) : null,
            problem: result.ok ? null : result.problem,
            spaceCount: counts.get(row.id) ?? 0,
          };
        }),
      );
    },

    /** Registers a node after its /info answered with these credentials; else the node's reason. */
    async add(user: User, node: NewNode): Promise<TransferNode> {
      requireAdmin(user);
      if (await nodes.findByName(node.name)) throw ERRORS.Conflict(`A node named "${node.name}" already exists.`);
      requireKeyForA3(node.bearerTokens, node.authType);
      await requireAccepted(user, 'node.add', node);
      const privatePem = node.bearerTokens ? generateTokenKeyPair().privatePem : null;
      if (privatePem !== null) await setVerificationKey(user, 'node.add', node, privatePem);
      const row = await nodes.insert(node);
      if (privatePem !== null) await nodes.setTokenKey(row.id, privatePem);
      await record(user, 'node.add', node.url, 'allow', `added ${node.name}${privatePem ? ', A3 bearer tokens' : ''}`);
      const saved = await nodes.findRow(row.id);
      if (!saved) throw ERRORS.NodeNotFound();
      return toTransferNode(saved);
    },

    /**
     * New URL or credentials, tested against the node before they are saved. A blank or absent
     * secret keeps the stored one (the console never shows it: secrets are write-only).
     */
    async update(
      user: User,
      nodeId: string,
      changes: {
        url?: string;
        username?: string;
        secret?: string;
        gatewayUrl?: string | null;
        verifyTls?: boolean;
        authType?: NodeConnectionInfo['authType'];
        bearerTokens?: boolean;
        packagesRoot?: string | null;
      },
    ): Promise<TransferNode> {
      requireAdmin(user);
      const current = await nodes.connection(nodeId);
      if (!current) throw ERRORS.NodeNotFound();
      if (changes.packagesRoot !== undefined && changes.packagesRoot !== null) {
        // docs/packages.md §1: only a package's own authorization reaches its files, so no space may hold the folder or lie in it.
        const root = changes.packagesRoot.replace(/\/+$/, '') || '/';
        const within = (inner: string, outer: string) => outer === '/' || inner === outer || inner.startsWith(`${outer}/`);
        for (const space of await nodes.spaceRootsOn(nodeId)) {
          const spaceRoot = space.root_path.replace(/\/+$/, '') || '/';
          if (within(root, spaceRoot) || within(spaceRoot, root))
            throw ERRORS.Conflict(
              `The packages folder ${root} overlaps the folder of the space "${space.name}" (${spaceRoot}); choose a folder of its own.`,
            );
        }
      }
      const next = {
        url: changes.url ?? current.url,
        username: changes.username ?? current.username,
        secret: changes.secret ? changes.secret : current.secret,
        gatewayUrl: changes.gatewayUrl === undefined ? current.gatewayUrl : changes.gatewayUrl,
        verifyTls: changes.verifyTls ?? current.verifyTls,
        authType: changes.authType ?? current.authType,
      };
      const bearerTokens = changes.bearerTokens ?? current.tokenKey !== null;
      requireKeyForA3(bearerTokens, next.authType);
      await requireAccepted(user, 'node.update', next);
      // A3 kept on sets the (same) public key again, so a key changed on the node is repaired too.
      const privatePem = bearerTokens ? (current.tokenKey ?? generateTokenKeyPair().privatePem) : null;
      if (privatePem !== null || current.tokenKey !== null) await setVerificationKey(user, 'node.update', next, privatePem);
      await nodes.updateConnection(nodeId, next);
      await nodes.setTokenKey(nodeId, privatePem);
      if (changes.packagesRoot !== undefined) await nodes.setPackagesRoot(nodeId, changes.packagesRoot?.replace(/(.)\/+$/, '$1') ?? null);
      clients.forget(nodeId);
      // Turned on (or moved to another key): every space's roles become node permissions now.
      if (privatePem !== null) await a3?.syncNode(nodeId);
      await record(
        user,
        'node.update',
        next.url,
        'allow',
        `updated ${current.name}${changes.secret ? ', new secret' : ''}${changes.packagesRoot === undefined ? '' : `, packages folder ${changes.packagesRoot ?? 'none'}`}`,
      );
      const row = await nodes.findRow(nodeId);
      if (!row) throw ERRORS.NodeNotFound();
      return toTransferNode(row);
    },

    /** The node's running and waiting transfers, from its GET /ops/transfers. */
    async transfers(user: User, nodeId: string): Promise<NodeTransferRow[]> {
      requireAdmin(user);
      const { node, client } = await clients.forNode(nodeId);
      const page = await client.listTransfers({ activeOnly: true, count: 200 }).catch((error: unknown) => {
        throw nodeFailure(node.name, error);
      });
      return page.transfers.map(toTransferRow);
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
        return { ok: false, message: `${node.name}: ${WHY[error.kind]}` };
      }
    },

    async remove(user: User, nodeId: string): Promise<void> {
      requireAdmin(user);
      const row = await nodes.findRow(nodeId);
      if (!row) throw ERRORS.NodeNotFound();
      const using = await nodes.spacesOn(nodeId);
      if (using.length > 0) {
        const named = using.slice(0, 5).map((s) => JSON.stringify(s));
        const more = using.length > 5 ? ` and ${using.length - 5} more` : '';
        await record(user, 'node.remove', row.url, 'deny', 'spaces use it');
        throw ERRORS.Conflict(`Spaces still use this node: ${named.join(', ')}${more}. Delete them first.`);
      }
      await nodes.delete(nodeId);
      clients.forget(nodeId);
      await record(user, 'node.remove', row.url, 'allow', `removed ${row.name}`);
    },

    /**
     * Registers (or updates, when its credentials or port changed) the embedded node at start-up,
     * as the default node when there is none.
     */
    async registerEmbedded(embedded: {
      url: string;
      username: string;
      secret: string;
      gatewayUrl: string;
      verifyTls?: boolean;
    }): Promise<void> {
      const existing = await nodes.findByName(EMBEDDED_NODE_NAME);
      const verifyTls = embedded.verifyTls ?? true;
      if (existing) {
        await nodes.updateConnection(existing.id, {
          url: embedded.url,
          username: embedded.username,
          secret: embedded.secret,
          gatewayUrl: embedded.gatewayUrl,
          verifyTls,
        });
        clients.forget(existing.id);
        return;
      }
      await nodes.insert({
        name: EMBEDDED_NODE_NAME,
        url: embedded.url,
        username: embedded.username,
        secret: embedded.secret,
        gatewayUrl: embedded.gatewayUrl,
        verifyTls,
        kind: 'embedded',
        authType: 'node_user',
        isDefault: (await nodes.defaultNode()) === undefined,
      });
    },
  };
}

export type NodesService = ReturnType<typeof createNodesService>;
