/**
 * Hostile inputs against what the portal authorizes: transfer tokens used beyond the portal's
 * decision (again, for other files, for more bytes, to replace files a contributor may not delete,
 * after their life) and paths the node would refuse. Each is refused with a clear error at the
 * portal or the node, never a 502, and the node's docroot does not change.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRANSFER_FILES } from '../../../contract/transfer-limits';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type TestApp } from '../test-app';
import { DIALECTS } from '../test-database';
import type { Dialect } from '../../db/database';
import { treeSnapshot } from '../../../test-kit/tree-snapshot';

type Who = { cookie: string; csrfToken: string };
type Spec = Record<string, unknown>;
interface Outcome {
  status: number;
  code?: string;
  message?: string;
}
interface Case {
  name: string;
  status: number;
  /** The portal's error code, where the portal answers. */
  code?: string;
  send: () => Promise<Outcome>;
}

let node: NodeProcess;
let t: TestApp;
let manager: Who;
let contributor: Who;
let spaceId: string;
let spaceRoot: string;
// The dialect of the describe block running now (a case's own second portal uses it too).
let current: Dialect;
const EXISTING = 'existing.txt';
const ORIGINAL = 'the manager put this here\n';
// Written by someone else between an authorization and its upload.
const APPEARED = 'someone else put this here\n';

async function api(
  who: Who,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
): Promise<Outcome & { json: Record<string, unknown> }> {
  const r = await t.app.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
    ...(payload ? { payload } : {}),
  });
  const json = r.json() as Record<string, unknown>;
  return { status: r.statusCode, code: json.code as string | undefined, message: json.message as string | undefined, json };
}

/** Authorizes an upload of `files` (path and declared size) into `folder` as `who`. */
async function authorize(who: Who, files: Array<{ path: string; size: number }>, folder = '/drop', replace: string[] = []): Promise<Spec> {
  const r = await api(who, 'POST', '/api/transfers', { spaceId, direction: 'upload', folder, files, replace });
  expect(r.status, r.message).toBe(201);
  return r.json.transferSpec as Spec;
}

const gateway = async (spec: Spec, files: Array<{ path: string; data: string | Buffer }>): Promise<Outcome> => {
  const r = await gatewayUpload(node.gatewayUrl, spec, files);
  const body = (await r.json().catch(() => ({}))) as { message?: string };
  return { status: r.status, message: body.message };
};

/** The multipart body a browser would send, with each part's announced size given separately. */
function rawUpload(spec: Spec, parts: Array<{ path: string; announced: number; data: Buffer }>): Promise<Outcome> {
  const form = new FormData();
  form.append('x-aspera-spec', JSON.stringify({ ...spec, paths: parts.map((p) => ({ source: p.path, destination: p.path })) }));
  for (const part of parts) {
    form.append('Content-Length', String(part.announced));
    form.append('file', new Blob([new Uint8Array(part.data)]), part.path);
  }
  return fetch(`${node.gatewayUrl}/v3/upload`, { method: 'POST', body: form }).then(async (r) => ({
    status: r.status,
    message: ((await r.json()) as { message?: string }).message,
  }));
}

const bytes = (n: number) => randomBytes(n);

const cases: Case[] = [
  // Item 4: an upload token is one upload of the declared files.
  {
    name: 'the same upload spec sent twice in a row',
    status: 403,
    send: async () => {
      const spec = await authorize(contributor, [{ path: 'twice.txt', size: 3 }]);
      expect((await gateway(spec, [{ path: 'twice.txt', data: 'one' }])).status).toBe(200);
      return gateway(spec, [{ path: 'twice.txt', data: 'two' }]);
    },
  },
  {
    name: 'a file that was not declared, beside one that was',
    status: 403,
    send: async () =>
      gateway(await authorize(contributor, [{ path: 'declared.txt', size: 1 }]), [
        { path: 'declared.txt', data: 'd' },
        { path: 'smuggled.txt', data: 's' },
      ]),
  },
  {
    name: 'a declared file renamed in the spec',
    status: 403,
    send: async () => gateway(await authorize(contributor, [{ path: 'report.pdf', size: 4 }]), [{ path: 'report.exe', data: 'MZ!!' }]),
  },
  {
    name: 'a declared file with more bytes than declared',
    status: 413,
    send: async () =>
      rawUpload(await authorize(contributor, [{ path: 'small.bin', size: 10 }]), [
        { path: 'small.bin', announced: 4096, data: bytes(4096) },
      ]),
  },
  {
    name: 'a declared file announced at its size but sending more',
    status: 400,
    send: async () =>
      rawUpload(await authorize(contributor, [{ path: 'liar.bin', size: 10 }]), [{ path: 'liar.bin', announced: 10, data: bytes(4096) }]),
  },
  {
    name: 'declared files moved into a subfolder by the spec',
    status: 403,
    send: async () => {
      const spec = await authorize(contributor, [{ path: 'a.txt', size: 1 }]);
      return gateway({ ...spec, destination_root: `${String(spec.destination_root)}/elsewhere` }, [{ path: 'a.txt', data: 'a' }]);
    },
  },
  {
    name: 'the spec pointed at the parent of the authorized folder',
    status: 403,
    send: async () => {
      const spec = await authorize(contributor, [{ path: 'parent.txt', size: 1 }]);
      return gateway({ ...spec, destination_root: String(spec.destination_root).replace(/\/drop$/, '') }, [
        { path: 'parent.txt', data: 'x' },
      ]);
    },
  },
  {
    name: 'a token used after its life',
    status: 401,
    send: async () => {
      const brief = await createTestApp(current, { COURIER_TRANSFER_TOKEN_LIFE_SECONDS: '1' }, { embeddedNode: embeddedNodeOf(node) });
      try {
        const who = await brief.login('alice');
        const space = await brief.app.inject({
          method: 'POST',
          url: '/api/spaces',
          headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
          payload: { name: `Brief ${randomBytes(4).toString('hex')}` },
        });
        const created = await brief.app.inject({
          method: 'POST',
          url: '/api/transfers',
          headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
          payload: { spaceId: space.json().id, direction: 'upload', folder: '/', files: [{ path: 'late.txt', size: 4 }] },
        });
        await new Promise((resolve) => setTimeout(resolve, 2100));
        return gateway(created.json().transferSpec as Spec, [{ path: 'late.txt', data: 'late' }]);
      } finally {
        await brief.close();
      }
    },
  },
  // Item 5: replacing a file is deleting it, which only a manager may do.
  {
    name: "a contributor's upload over an existing file that was not chosen to be replaced",
    status: 409,
    code: 'NAME_TAKEN',
    send: () =>
      api(contributor, 'POST', '/api/transfers', { spaceId, direction: 'upload', folder: '/drop', files: [{ path: EXISTING, size: 5 }] }),
  },
  {
    name: 'a contributor asking to replace an existing file',
    status: 403,
    code: 'FORBIDDEN',
    send: () =>
      api(contributor, 'POST', '/api/transfers', {
        spaceId,
        direction: 'upload',
        folder: '/drop',
        files: [{ path: EXISTING, size: 5 }],
        replace: [EXISTING],
      }),
  },
  {
    // The portal found the name free; the node still never replaces for a contributor.
    name: "a contributor's upload over a file that appeared after authorization, the spec asking to overwrite always",
    status: 409,
    send: async () => {
      const spec = await authorize(contributor, [{ path: 'late-always.txt', size: 5 }]);
      await writeFile(join(spaceRoot, 'late-always.txt'), APPEARED);
      return gateway({ ...spec, overwrite: 'always' }, [{ path: 'late-always.txt', data: 'gone!' }]);
    },
  },
  {
    name: "a contributor's upload over a file that appeared after authorization, the spec's overwrite removed",
    status: 409,
    send: async () => {
      const { overwrite: _dropped, ...spec } = await authorize(contributor, [{ path: 'late-dropped.txt', size: 5 }]);
      await writeFile(join(spaceRoot, 'late-dropped.txt'), APPEARED);
      return gateway(spec, [{ path: 'late-dropped.txt', data: 'gone!' }]);
    },
  },
  // Item 8: the portal refuses, naming the problem, what the node would refuse.
  {
    name: 'a new folder named like the node staging folder',
    status: 400,
    code: 'INVALID_PATH',
    send: () => api(contributor, 'POST', `/api/spaces/${spaceId}/folders`, { path: '/.courier-staging' }),
  },
  {
    name: 'a new folder with a 300-byte name (100 CJK characters)',
    status: 400,
    code: 'INVALID_PATH',
    send: () => api(contributor, 'POST', `/api/spaces/${spaceId}/folders`, { path: `/${'文'.repeat(100)}` }),
  },
  {
    name: 'a rename to a 256-byte name',
    status: 400,
    code: 'INVALID_NAME',
    send: () => api(contributor, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/drop', newName: 'é'.repeat(128) }),
  },
  {
    name: 'a rename to a fullwidth-slash name',
    status: 400,
    code: 'INVALID_NAME',
    send: () => api(contributor, 'POST', `/api/spaces/${spaceId}/rename`, { path: '/drop', newName: 'a／b' }),
  },
  {
    name: 'a listing through a fullwidth solidus',
    status: 400,
    code: 'INVALID_PATH',
    send: () => api(contributor, 'GET', `/api/spaces/${spaceId}/files?path=${encodeURIComponent('/drop／..／..')}`),
  },
  {
    name: 'a listing through one-dot leaders that fold to ".."',
    status: 400,
    code: 'INVALID_PATH',
    send: () => api(contributor, 'GET', `/api/spaces/${spaceId}/files?path=${encodeURIComponent('/\u2024\u2024/x')}`),
  },
  {
    name: 'a download of a division-slash path',
    status: 400,
    code: 'INVALID_PATH',
    send: () => api(contributor, 'POST', '/api/transfers', { spaceId, direction: 'download', paths: ['/drop\u2215..\u2215x'] }),
  },
  {
    name: 'an upload of a fullwidth dot-dot segment',
    status: 400,
    code: 'INVALID_PATH',
    send: () =>
      api(contributor, 'POST', '/api/transfers', {
        spaceId,
        direction: 'upload',
        folder: '/',
        files: [{ path: '\uff0e\uff0e/x.txt', size: 1 }],
      }),
  },
  {
    name: 'an upload into the staging folder name, in capitals',
    status: 400,
    code: 'INVALID_PATH',
    send: () =>
      api(contributor, 'POST', '/api/transfers', {
        spaceId,
        direction: 'upload',
        folder: '/.COURIER-STAGING',
        files: [{ path: 'x.txt', size: 1 }],
      }),
  },
  {
    name: 'an upload whose 4,090-character path is too long under the space root',
    status: 400,
    code: 'INVALID_PATH',
    send: () =>
      api(contributor, 'POST', '/api/transfers', {
        spaceId,
        direction: 'upload',
        folder: '/',
        files: [
          {
            path: Array.from({ length: 409 }, () => 'abcdefghi')
              .join('/')
              .slice(0, 4090),
            size: 1,
          },
        ],
      }),
  },
  // Item 10: one limit for the portal and the gateway.
  {
    name: `an upload of ${MAX_TRANSFER_FILES + 1} files`,
    status: 400,
    code: 'VALIDATION_FAILED',
    send: () =>
      api(contributor, 'POST', '/api/transfers', {
        spaceId,
        direction: 'upload',
        folder: '/',
        files: Array.from({ length: MAX_TRANSFER_FILES + 1 }, (_, i) => ({ path: `f${i}`, size: 1 })),
      }),
  },
];

describe.each(DIALECTS)('transfer authorization corpus on %s', (dialect) => {
  beforeAll(async () => {
    current = dialect;
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    manager = await t.login('alice');
    contributor = await t.login('bob', TEST_PASSWORD);
    const space = await api(manager, 'POST', '/api/spaces', { name: `Corpus ${randomBytes(4).toString('hex')}` });
    spaceId = space.json.id as string;
    const users = await api(manager, 'GET', '/api/users');
    const bob = (users.json.users as Array<{ id: string; username: string }>).find((u) => u.username === 'bob');
    const member = await api(manager, 'PUT', `/api/spaces/${spaceId}/members`, {
      principalType: 'user',
      principalId: bob?.id,
      role: 'contributor',
    });
    expect(member.status).toBe(200);
    const seed = await authorize(manager, [{ path: EXISTING, size: ORIGINAL.length }]);
    expect((await gateway(seed, [{ path: EXISTING, data: ORIGINAL }])).status).toBe(200);
    spaceRoot = join(node.docroot, String(seed.destination_root));
  });
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  let before: string[];
  beforeAll(async () => {
    before = await treeSnapshot(spaceRoot);
  });

  it('has every attack the review found', () => {
    expect(cases.length).toBeGreaterThanOrEqual(21);
  });

  it.each(cases)('refuses: $name ($status)', async ({ send, status, code }) => {
    const outcome = await send();
    expect(outcome.status, outcome.message).toBe(status);
    if (code) expect(outcome.code).toBe(code);
  });

  it('left the existing files intact and stored only the first upload of the spec sent twice', async () => {
    expect(await readFile(join(spaceRoot, EXISTING), 'utf8')).toBe(ORIGINAL);
    for (const late of ['late-always.txt', 'late-dropped.txt']) expect(await readFile(join(spaceRoot, late), 'utf8')).toBe(APPEARED);
    expect(await readFile(join(spaceRoot, 'twice.txt'), 'utf8')).toBe('one');
    const after = await treeSnapshot(spaceRoot);
    const added = after.filter((line) => !before.includes(line));
    expect(added.map((l) => l.replace(/ [0-9a-f]{64}$/, '')).sort()).toEqual(['/late-always.txt', '/late-dropped.txt', '/twice.txt']);
    await expect(stat(join(spaceRoot, 'smuggled.txt'))).rejects.toThrow();
  });

  it('lets a manager replace a file they chose to replace, which a contributor could not', async () => {
    const spec = await authorize(manager, [{ path: EXISTING, size: 8 }], '/drop', [EXISTING]);
    expect(spec.overwrite).toBe('always');
    expect((await gateway(spec, [{ path: EXISTING, data: 'replaced' }])).status).toBe(200);
    expect(await readFile(join(spaceRoot, EXISTING), 'utf8')).toBe('replaced');
  });

  it("tells the contributor's client not to overwrite, in the spec it hands over", async () => {
    expect((await authorize(contributor, [{ path: 'new.txt', size: 1 }])).overwrite).toBe('never');
  });
});
