/**
 * Hostile uses of upload tokens at the gateway: beyond the files and sizes declared at setup, again
 * after they carried an upload, over existing files when the application said "never", past their
 * life, and with more parts than one upload may carry. Each is refused whole; nothing lands.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRANSFER_FILES } from '../../contract/transfer-limits';
import { startTestNode, type TestNode } from './node-harness';

type Spec = Record<string, unknown>;
interface Outcome {
  status: number;
  message?: string;
}

let t: TestNode;

/** An upload_setup as the portal makes it: each file declared with its size, and a policy. */
async function declare(files: Array<{ path: string; size?: number; overwrite?: 'never' }>, extra: Spec = {}): Promise<Spec> {
  const res = await t.apiJson('/files/upload_setup', {
    transfer_requests: [
      {
        transfer_request: {
          destination_root: '/In',
          paths: files.map((f) => ({ source: f.path, destination: f.path, size: f.size, overwrite: f.overwrite })),
          ...extra,
        },
      },
    ],
  });
  const item = res.transfer_specs[0];
  if (!item.transfer_spec) throw new Error(JSON.stringify(item));
  return item.transfer_spec;
}

/** A v3 body whose file parts announce `announced` bytes each and carry `data`; the spec lists the first `listed`. */
async function send(spec: Spec, files: Array<{ path: string; data: string; announced?: number }>, listed = files.length): Promise<Outcome> {
  const form = new FormData();
  form.append(
    'x-aspera-spec',
    JSON.stringify({ ...spec, paths: files.slice(0, listed).map((f) => ({ source: f.path, destination: f.path })) }),
  );
  for (const f of files) {
    form.append('Content-Length', String(f.announced ?? Buffer.byteLength(f.data)));
    form.append('file', new Blob([f.data]), f.path);
  }
  const res = await fetch(`${t.node.gatewayUrl}/v3/upload`, { method: 'POST', body: form });
  return { status: res.status, message: ((await res.json()) as { message?: string }).message };
}

async function setupItem(direction: 'upload' | 'download', request: Spec): Promise<Outcome> {
  const res = await t.apiJson(`/files/${direction}_setup`, { transfer_requests: [{ transfer_request: request }] });
  const item = res.transfer_specs[0] as { error?: { code: number; user_message: string } };
  return { status: item.error?.code ?? 200, message: item.error?.user_message };
}

beforeAll(async () => {
  t = await startTestNode();
  await writeFile(join(t.docroot, 'keep.txt'), 'original');
  const first = await declare([{ path: 'kept.txt', size: 8 }]);
  expect((await send(first, [{ path: 'kept.txt', data: 'original' }])).status).toBe(200);
});
afterAll(() => t.close());

const cases: Array<{ name: string; status: number; send: () => Promise<Outcome> }> = [
  {
    name: 'a file the setup did not declare',
    status: 403,
    send: async () => send(await declare([{ path: 'a.txt', size: 1 }]), [{ path: 'b.txt', data: 'b' }]),
  },
  {
    name: 'a declared file announcing more than its declared size',
    status: 413,
    send: async () => send(await declare([{ path: 'a.txt', size: 1 }]), [{ path: 'a.txt', data: 'abc' }]),
  },
  {
    name: 'a declared file placed under a subfolder by the spec',
    status: 403,
    send: async () =>
      send({ ...(await declare([{ path: 'a.txt', size: 1 }])), destination_root: '/In/sub' }, [{ path: 'a.txt', data: 'a' }]),
  },
  {
    name: 'a spent token, sent again',
    status: 403,
    send: async () => {
      const spec = await declare([{ path: 'once.txt', size: 4 }]);
      expect((await send(spec, [{ path: 'once.txt', data: 'once' }])).status).toBe(200);
      return send(spec, [{ path: 'once.txt', data: 'more' }]);
    },
  },
  {
    name: 'a "never" token over an existing file, the spec asking "always"',
    status: 409,
    send: async () =>
      send({ ...(await declare([{ path: 'kept.txt', size: 6 }], { overwrite: 'never' })), overwrite: 'always' }, [
        { path: 'kept.txt', data: 'erased' },
      ]),
  },
  {
    name: 'a "never" token over an existing file, the spec without a policy',
    status: 409,
    send: async () => {
      const { overwrite: _never, ...spec } = await declare([{ path: 'kept.txt', size: 6 }], { overwrite: 'never' });
      return send(spec, [{ path: 'kept.txt', data: 'erased' }]);
    },
  },
  {
    name: 'a replacing token over an existing file its setup kept ("never" on that path)',
    status: 409,
    send: async () =>
      send(
        await declare([
          { path: 'kept.txt', size: 6, overwrite: 'never' },
          { path: 'new.txt', size: 3 },
        ]),
        [
          { path: 'new.txt', data: 'new' },
          { path: 'kept.txt', data: 'erased' },
        ],
      ),
  },
  {
    name: 'a replacing token over a file inside a folder its setup kept',
    status: 409,
    send: async () => {
      const folder = await t.apiJson('/files/upload_setup', {
        transfer_requests: [
          { transfer_request: { destination_root: '/', paths: [{ destination: 'In', overwrite: 'never' }, { destination: 'Out' }] } },
        ],
      });
      return send(folder.transfer_specs[0].transfer_spec, [{ path: 'In/kept.txt', data: 'erased' }]);
    },
  },
  {
    name: 'a token past the life the application asked for',
    status: 401,
    send: async () => {
      const spec = await declare([{ path: 'late.txt', size: 4 }], { token_life_seconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      return send(spec, [{ path: 'late.txt', data: 'late' }]);
    },
  },
  {
    name: `one body of ${MAX_TRANSFER_FILES + 2} file parts under a folder token`,
    status: 413,
    send: async () => {
      const spec = await t.uploadSpec('/Many');
      // The spec lists as many paths as it may; the two parts past them are named by their filenames.
      return send(
        spec,
        Array.from({ length: MAX_TRANSFER_FILES + 2 }, (_, i) => ({ path: `f${i}.txt`, data: 'x' })),
        MAX_TRANSFER_FILES,
      );
    },
  },
  {
    name: `an upload_setup declaring ${MAX_TRANSFER_FILES + 1} files`,
    status: 400,
    send: () =>
      setupItem('upload', {
        destination_root: '/In',
        paths: Array.from({ length: MAX_TRANSFER_FILES + 1 }, (_, i) => ({ source: `f${i}`, destination: `f${i}` })),
      }),
  },
  {
    name: 'a download_setup of 1,001 paths',
    status: 400,
    send: () => setupItem('download', { paths: Array.from({ length: 1001 }, (_, i) => ({ source: `/f${i}` })) }),
  },
  {
    name: 'an upload_setup with a negative size',
    status: 400,
    send: () => setupItem('upload', { destination_root: '/In', paths: [{ source: 'a', destination: 'a', size: -1 }] }),
  },
];

describe('upload grant corpus', () => {
  it.each(cases)('refuses: $name ($status)', async ({ send: attempt, status }) => {
    const outcome = await attempt();
    expect(outcome.status, outcome.message).toBe(status);
    expect(typeof outcome.message).toBe('string');
  });

  it('kept the existing file, stored no refused file and left no partial', async () => {
    expect(await readFile(join(t.docroot, 'In/kept.txt'), 'utf8')).toBe('original');
    expect((await readdir(join(t.docroot, 'In'))).sort()).toEqual(['kept.txt', 'once.txt']);
    expect(await readdir(join(t.docroot, 'Many')).catch(() => [])).toEqual([]);
    expect(await readdir(join(t.docroot, '.courier-staging'))).toEqual([]);
  });

  it('lets a failed upload be retried with the same token, and a declared folder take any file inside it', async () => {
    const spec = await declare([{ path: 'retry.txt', size: 5 }]);
    expect((await send(spec, [{ path: 'retry.txt', data: 'toolong' }])).status).toBe(413);
    expect((await send(spec, [{ path: 'retry.txt', data: 'fine!' }])).status).toBe(200);
    const folder = await t.apiJson('/files/upload_setup', {
      transfer_requests: [{ transfer_request: { destination_root: '/In', paths: [{ destination: 'docs' }, { destination: 'more' }] } }],
    });
    expect((await send(folder.transfer_specs[0].transfer_spec, [{ path: 'docs/deep/x.txt', data: 'x' }])).status).toBe(200);
  });

  it('lets a replacing token replace a declared file that its setup did not keep', async () => {
    await writeFile(join(t.docroot, 'In/swap.txt'), 'old');
    const spec = await declare([
      { path: 'swap.txt', size: 3 },
      { path: 'beside.txt', size: 3, overwrite: 'never' },
    ]);
    expect(
      (
        await send(spec, [
          { path: 'swap.txt', data: 'new' },
          { path: 'beside.txt', data: 'two' },
        ])
      ).status,
    ).toBe(200);
    expect(await readFile(join(t.docroot, 'In/swap.txt'), 'utf8')).toBe('new');
    expect(await readFile(join(t.docroot, 'In/beside.txt'), 'utf8')).toBe('two');
  });
});
