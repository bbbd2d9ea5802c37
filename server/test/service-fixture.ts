/**
 * The portal's services built directly over a fresh test database (test-database.ts), without the
 * HTTP layer: for tests that call auth, spaces and transfers services themselves. Users `alice`
 * (admin), `bob` and `carol`, all with TEST_PASSWORD; a node is registered with `addNode`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { User } from '../../contract/session';
import type { Db, Dialect } from '../db/database';
import { createAuditLog, type AuditLog } from '../features/audit/audit-log';
import { createUsersRepository, type UserRow } from '../features/auth/users-repository';
import { createNodeClients, type NodeClients } from '../features/nodes/node-clients';
import { createNodesRepository, type NodesRepository } from '../features/nodes/nodes-repository';
import { createSpaceAccess, type SpaceAccess } from '../features/spaces/space-access';
import { createSpacesRepository, type SpacesRepository } from '../features/spaces/spaces-repository';
import { createSecretBox } from '../lib/secret-box';
import { createTestDatabase } from './test-database';
import { testPasswordHash } from './test-app';

export interface ServiceFixture {
  db: Db;
  audit: AuditLog;
  nodes: NodesRepository;
  clients: NodeClients;
  spaces: SpacesRepository;
  access: SpaceAccess;
  alice: User;
  bob: User;
  carol: User;
  /** Registers a node (the first is the default) and returns its id. */
  addNode(node: {
    url: string;
    username: string;
    secret: string;
    gatewayUrl: string | null;
    name?: string;
    kind?: 'embedded' | 'hsts';
    authType?: 'node_user' | 'access_key';
  }): Promise<string>;
  /** A shared space on `nodeId` at `rootPath`, straight into the database. */
  addSpace(nodeId: string, name: string, rootPath: string): Promise<string>;
  /** The audit log, newest first. */
  auditEntries(): Promise<
    Array<{
      user_id: string | null;
      action: string;
      space_id: string | null;
      target: string | null;
      decision: string;
      reason: string | null;
    }>
  >;
  close(): Promise<void>;
}

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, displayName: row.display_name, isAdmin: row.is_admin === 1 });

export async function createServiceFixture(dialect: Dialect): Promise<ServiceFixture> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-services-'));
  const { db, drop } = await createTestDatabase(dialect, dataDir);
  const users = createUsersRepository(db);
  const hash = await testPasswordHash();
  const alice = toUser(await users.create({ username: 'alice', displayName: 'Alice Admin', passwordHash: hash, isAdmin: true }));
  const bob = toUser(await users.create({ username: 'bob', displayName: 'Bob', passwordHash: hash, isAdmin: false }));
  const carol = toUser(await users.create({ username: 'carol', displayName: 'Carol', passwordHash: hash, isAdmin: false }));
  const audit = createAuditLog(db);
  const nodes = createNodesRepository(db, createSecretBox(randomBytes(32)));
  const clients = createNodeClients(nodes);
  const spaces = createSpacesRepository(db);
  const access = createSpaceAccess(spaces, audit);
  let nodeCount = 0;
  return {
    db,
    audit,
    nodes,
    clients,
    spaces,
    access,
    alice,
    bob,
    carol,
    async addNode(node) {
      nodeCount += 1;
      const row = await nodes.insert({
        name: node.name ?? `node-${nodeCount}`,
        url: node.url,
        username: node.username,
        secret: node.secret,
        gatewayUrl: node.gatewayUrl,
        verifyTls: true,
        kind: node.kind ?? 'embedded',
        authType: node.authType ?? 'node_user',
        isDefault: nodeCount === 1,
      });
      return row.id;
    },
    async addSpace(nodeId, name, rootPath) {
      return (await spaces.insert({ name, node_id: nodeId, root_path: rootPath, owner_user_id: null })).id;
    },
    auditEntries: () => db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').execute(),
    async close() {
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
