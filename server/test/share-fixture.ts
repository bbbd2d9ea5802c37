import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { NodeProcess } from '../../test-kit/courier-process';
import { gatewayUpload } from '../../test-kit/gateway-upload';
import type { Dialect } from '../db/database';
import type { Notice, Notifier } from '../features/notifications/notifier';
import { createTestApp, embeddedNodeOf, waitForTransfer as waitForTransferOf, type ApiJson, type LoggedIn, type TestApp } from './test-app';

/** A Notifier that keeps what it was told, for tests to read. */
export function recordingNotifier(): Notifier & { notices: Notice[] } {
  const notices: Notice[] = [];
  return { notices, notify: async (notice) => void notices.push(notice) };
}

export interface ShareFixture {
  t: TestApp;
  admin: LoggedIn;
  spaceId: string;
  notifier: ReturnType<typeof recordingNotifier>;
  /** The files put in the space: `/docs/report.pdf`, `/photos/2024/a.jpg`, `/photos/b.jpg`, `/secret.txt` (and `/big.bin` once added). */
  files: Record<string, Buffer>;
  /**
   * Puts `/big.bin` (24 MiB: large enough that a download stopped after its first chunk ends
   * unfinished on the node) in the space, for the test that needs it; uploading it for every test
   * cost more than most of them.
   */
  addBigFile: () => Promise<void>;
  /** A call without a session, as a recipient's browser makes it. */
  visit: (
    method: 'GET' | 'HEAD' | 'POST',
    url: string,
    options?: { payload?: object; ip?: string; cookie?: string },
  ) => Promise<{ status: number; json: ApiJson; headers: Record<string, unknown>; setCookie?: string }>;
  /** The tracker's passes until the transfer's record has `status`. */
  waitForTransfer: (transferId: string, status: string) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * `realNotifier`: the portal's own notification service (its queue and mail worker, with the SMTP
 * server `env` names) instead of the recording one, whose `notices` then stay empty.
 */
export async function createShareFixture(
  dialect: Dialect,
  node: NodeProcess,
  env: Record<string, string> = {},
  options: { realNotifier?: boolean } = {},
): Promise<ShareFixture> {
  const notifier = recordingNotifier();
  const t = await createTestApp(dialect, env, {
    embeddedNode: embeddedNodeOf(node),
    ...(options.realNotifier ? {} : { notifier }),
  });
  const admin = await t.login('alice');
  const space = await t.api(admin, 'POST', '/api/spaces', { name: `Shared ${randomBytes(4).toString('hex')}` });
  expect(space.status).toBe(201);
  const spaceId = space.json.id as string;
  const files: Record<string, Buffer> = {
    '/docs/report.pdf': randomBytes(70_000),
    '/photos/2024/a.jpg': randomBytes(5000),
    '/photos/b.jpg': randomBytes(3000),
    '/secret.txt': Buffer.from('not shared\n'),
  };
  const waitForTransfer = (transferId: string, status: string) => waitForTransferOf(t, transferId, status);
  /** Uploads `added` to the space's root through the node's gateway, to the end. */
  const put = async (added: Record<string, Buffer>) => {
    const upload = await t.api(admin, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: Object.entries(added).map(([path, data]) => ({ path: path.slice(1), size: data.length })),
    });
    expect(upload.status).toBe(201);
    const sent = await gatewayUpload(
      node.gatewayUrl,
      upload.json.transferSpec as object,
      Object.entries(added).map(([path, data]) => ({ path: path.slice(1), data })),
    );
    expect(sent.status).toBeLessThan(400);
    await waitForTransfer((upload.json.transfer as { id: string }).id, 'completed');
    Object.assign(files, added);
  };
  await put(files);

  return {
    t,
    admin,
    spaceId,
    notifier,
    files,
    addBigFile: () => put({ '/big.bin': randomBytes(24 * 1024 * 1024) }),
    waitForTransfer,
    async visit(method, url, options = {}) {
      const r = await t.app.inject({
        method,
        url,
        remoteAddress: options.ip ?? '203.0.113.7',
        headers: options.cookie ? { cookie: options.cookie } : {},
        ...(options.payload ? { payload: options.payload } : {}),
      });
      const cookie = r.cookies.find((c) => c.name === 'courier_share_access');
      return {
        status: r.statusCode,
        json: (r.body && r.headers['content-type']?.toString().includes('json') ? r.json() : {}) as ApiJson,
        headers: r.headers,
        ...(cookie ? { setCookie: `courier_share_access=${cookie.value}` } : {}),
      };
    },
    close: () => t.close(),
  };
}
