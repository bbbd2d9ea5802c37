/**
 * A transfer node's services without its HTTP server, over a fresh temp folder: for tests that call
 * the gateway's functions (gateway-spec.ts, receive-upload.ts) directly with real files and a real
 * token key. `close` closes the stores and removes the folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessKeys } from '../access/access-keys';
import { FileIds } from '../access/file-ids';
import { Permissions } from '../access/permissions';
import type { NodeContext } from '../context';
import { resolveLimits, type NodeLimits } from '../limits';
import { AuthThrottle } from '../node-api/auth-throttle';
import { DEFAULT_SEND_TUNING } from '../ops/session-client';
import { Docroot } from '../storage/docroot';
import { FileService } from '../storage/file-service';
import { UploadWriter } from '../storage/upload-writer';
import { SealedBox } from '../tokens/sealed-box';
import { TransferTokens, type TransferGrant } from '../tokens/transfer-token';
import { TransferStore } from '../transfers/transfer-store';
import { UploadGrants, type DeclaredPath } from '../transfers/upload-grants';

export interface TestContext {
  ctx: NodeContext;
  docroot: string;
  /** An upload token for `destinationRoot` with a fresh grant of `declared` files. */
  uploadToken(destinationRoot: string, options?: { replace?: boolean; declared?: DeclaredPath[]; extra?: Partial<TransferGrant> }): string;
  downloadToken(paths: string[]): string;
  close(): Promise<void>;
}

export async function createTestContext(limits: Partial<NodeLimits> = {}): Promise<TestContext> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'courier-node-ctx-')));
  const stateDir = join(dir, 'state');
  await mkdir(stateDir);
  const docroot = await Docroot.open(join(dir, 'docroot'));
  const fileIds = await FileIds.open(stateDir);
  const files = new FileService(docroot, undefined, fileIds.changesIn(docroot));
  const key = randomBytes(32);
  const resolved = resolveLimits(limits);
  const ctx: NodeContext = {
    settings: {
      nodeId: 'test-node',
      transferUser: 'xfer',
      nodeUser: 'node',
      nodePassword: 'node-password',
      tokenLifeSeconds: 3600,
      remoteHost: 'node.test',
      publicUrl: 'http://node.test',
      gatewayUrl: 'http://node.test/aspera/http-gwy',
      corsOrigins: [],
      accelRedirect: null,
      stateDir,
    },
    files,
    uploads: new UploadWriter(docroot, files.listings),
    tokens: new TransferTokens(key, 'xfer'),
    presign: new SealedBox(key, 'courier-presigned-url-v1'),
    transfers: new TransferStore(stateDir),
    grants: new UploadGrants(stateDir),
    limits: resolved,
    authThrottle: new AuthThrottle({ maxFailures: resolved.authMaxFailures, windowMs: resolved.authWindowMs }),
    accessKeys: await AccessKeys.open(stateDir),
    fileIds,
    permissions: await Permissions.open(stateDir),
    send: DEFAULT_SEND_TUNING,
  };
  const exp = () => Math.floor(Date.now() / 1000) + 3600;
  return {
    ctx,
    docroot: docroot.root,
    uploadToken: (destinationRoot, options = {}) =>
      ctx.tokens.mint({
        direction: 'send',
        user: 'xfer',
        exp: exp(),
        destinationRoot,
        grant: ctx.grants.create(exp(), options.declared ?? []),
        replace: options.replace ?? true,
        ...options.extra,
      } as TransferGrant),
    downloadToken: (paths) => ctx.tokens.mint({ direction: 'receive', user: 'xfer', exp: exp(), paths }),
    async close() {
      ctx.transfers.close();
      ctx.grants.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
