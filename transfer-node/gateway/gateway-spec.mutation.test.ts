import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../test/node-context';
import { authorizeDownload, authorizeUpload, checkItemsGranted, MAX_SPEC_PATHS, parseSpec, resolveItems } from './gateway-spec';

// The gateway's spec checks called directly, with real tokens and real files (docs/reliability.md,
// "Mutation testing"): each refusal by its status and reason.
let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});
afterEach(() => t.close());

const refusal = (status: number, message: string | RegExp) =>
  expect.objectContaining({ status, message: typeof message === 'string' ? message : expect.stringMatching(message) });

describe('parseSpec', () => {
  it('keeps what it knows and what it does not, and defaults paths to none', () => {
    const spec = parseSpec({ direction: 'send', token: 't', destination_root: '/In', custom: 1 });
    expect(spec).toEqual({ direction: 'send', token: 't', destination_root: '/In', custom: 1, paths: [] });
    expect(parseSpec({ paths: [{ source: 'a', extra: true }] }).paths).toEqual([{ source: 'a', extra: true }]);
  });

  it.each([
    [{ direction: 'sideways' }, /^Invalid transfer spec \(direction: /],
    [{ token: 'x'.repeat(64 * 1024 + 1) }, /^Invalid transfer spec \(token: /],
    [{ paths: Array.from({ length: MAX_SPEC_PATHS + 1 }, () => ({ source: 'a' })) }, /^Invalid transfer spec \(paths: /],
    [{ paths: [{ source: 1 }] }, /^Invalid transfer spec \(paths\.0\.source: /],
    [{ download_name: 'x'.repeat(201) }, /^Invalid transfer spec \(download_name: /],
    [{ overwrite: 'sometimes' }, /^Invalid transfer spec \(overwrite: /],
    [{ zip_required: 'yes' }, /^Invalid transfer spec \(zip_required: /],
    [{ cookie: 'c'.repeat(8193) }, /^Invalid transfer spec \(cookie: /],
    [{ remote_host: 5 }, /^Invalid transfer spec \(remote_host: /],
    [{ source_root: 5 }, /^Invalid transfer spec \(source_root: /],
    [{ destination_root: 5 }, /^Invalid transfer spec \(destination_root: /],
    ['not an object', /^Invalid transfer spec \(spec: /],
  ])('refuses %j with a 400 naming the field', (input, message) => {
    expect(() => parseSpec(input)).toThrow(refusal(400, message));
  });

  it('accepts every overwrite policy of the spec', () => {
    for (const overwrite of ['never', 'always', 'diff', 'older', 'diff+older', 'none'])
      expect(parseSpec({ overwrite }).overwrite).toBe(overwrite);
  });

  it('accepts the limits themselves', () => {
    expect(() => parseSpec({ token: 'x'.repeat(64 * 1024), download_name: 'n'.repeat(200), cookie: 'c'.repeat(8192) })).not.toThrow();
    expect(parseSpec({ paths: Array.from({ length: MAX_SPEC_PATHS }, () => ({})) }).paths).toHaveLength(MAX_SPEC_PATHS);
  });
});

describe('authorizeUpload', () => {
  it('takes the token from the spec, or else from "Authorization: Bearer"', () => {
    const token = t.uploadToken('/In');
    expect(authorizeUpload(t.ctx, parseSpec({ token }), undefined).rootSegments).toEqual(['In']);
    expect(authorizeUpload(t.ctx, parseSpec({}), `Bearer ${token}`).rootSegments).toEqual(['In']);
    expect(authorizeUpload(t.ctx, parseSpec({}), `bearer   ${token}`).rootSegments).toEqual(['In']);
    // The spec's token wins over the header's.
    expect(() => authorizeUpload(t.ctx, parseSpec({ token: 'ATC1_bad_1CTA' }), `Bearer ${token}`)).toThrow(
      refusal(401, 'Token is malformed'),
    );
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'xBearer abc'])(
    'asks for a token when the header %j carries none',
    (authorization) => {
      expect(() => authorizeUpload(t.ctx, parseSpec({}), authorization)).toThrow(refusal(401, 'A transfer token is required'));
    },
  );

  it('refuses a download spec or token', () => {
    const token = t.uploadToken('/In');
    expect(() => authorizeUpload(t.ctx, parseSpec({ direction: 'receive', token }), undefined)).toThrow(
      refusal(400, 'An upload spec must have direction "send"'),
    );
    expect(() => authorizeUpload(t.ctx, parseSpec({ token: t.downloadToken(['/In']) }), undefined)).toThrow(
      refusal(403, 'A download token cannot be used to upload'),
    );
    expect(authorizeUpload(t.ctx, parseSpec({ direction: 'send', token }), undefined).grant.direction).toBe('send');
  });

  it("writes under the spec's destination root only inside the token's", () => {
    const token = t.uploadToken('/In/box');
    const inside = authorizeUpload(t.ctx, parseSpec({ token, destination_root: '/In/box/sub' }), undefined);
    expect(inside.rootSegments).toEqual(['In', 'box', 'sub']);
    expect(inside.grantRootSegments).toEqual(['In', 'box']);
    expect(authorizeUpload(t.ctx, parseSpec({ token }), undefined).rootSegments).toEqual(['In', 'box']);
    for (const outside of ['/In', '/In/boxes', '/', '/Other'])
      expect(() => authorizeUpload(t.ctx, parseSpec({ token, destination_root: outside }), undefined)).toThrow(
        refusal(403, 'The token does not cover this destination'),
      );
    expect(() => authorizeUpload(t.ctx, parseSpec({ token, destination_root: '/In/box/../x' }), undefined)).toThrow(
      refusal(403, 'Path is outside the docroot'),
    );
  });

  it("lets the spec narrow the token's overwrite policy, never widen it", () => {
    const replace = t.uploadToken('/In', { replace: true });
    const keep = t.uploadToken('/In', { replace: false });
    const overwrite = (token: string, policy?: string) =>
      authorizeUpload(t.ctx, parseSpec({ token, overwrite: policy }), undefined).overwrite;
    expect(overwrite(replace)).toBe(true);
    expect(overwrite(replace, 'always')).toBe(true);
    expect(overwrite(replace, 'diff')).toBe(true);
    expect(overwrite(replace, 'never')).toBe(false);
    expect(overwrite(replace, 'none')).toBe(false);
    expect(overwrite(keep)).toBe(false);
    expect(overwrite(keep, 'always')).toBe(false);
  });
});

describe('authorizeDownload', () => {
  beforeEach(async () => {
    await mkdir(join(t.docroot, 'Out', 'sub'), { recursive: true });
    await writeFile(join(t.docroot, 'Out', 'a.txt'), 'aaa');
    await writeFile(join(t.docroot, 'Out', 'sub', 'b.txt'), 'bb');
    await mkdir(join(t.docroot, 'Private'));
    await writeFile(join(t.docroot, 'Private', 'p.txt'), 'p');
  });

  it('resolves each source under source_root with its stat', async () => {
    const token = t.downloadToken(['/Out']);
    const { grant, items } = await authorizeDownload(
      t.ctx,
      parseSpec({ token, source_root: '/Out', paths: [{ source: 'a.txt' }, { source: 'sub/b.txt' }] }),
      undefined,
    );
    expect(grant.direction).toBe('receive');
    expect(items.map((i) => [i.nodePath, i.abs, i.stats.size])).toEqual([
      ['/Out/a.txt', join(t.docroot, 'Out', 'a.txt'), 3],
      ['/Out/sub/b.txt', join(t.docroot, 'Out', 'sub', 'b.txt'), 2],
    ]);
    const bare = await authorizeDownload(t.ctx, parseSpec({ paths: [{ source: '/Out/a.txt' }] }), `Bearer ${token}`);
    expect(bare.items.map((i) => i.nodePath)).toEqual(['/Out/a.txt']);
  });

  it('refuses an upload spec or token, an empty list and a path with no source', async () => {
    const token = t.downloadToken(['/Out']);
    await expect(authorizeDownload(t.ctx, parseSpec({ direction: 'send', token, paths: [{ source: 'a' }] }), undefined)).rejects.toThrow(
      refusal(400, 'A download spec must have direction "receive"'),
    );
    await expect(
      authorizeDownload(t.ctx, parseSpec({ token: t.uploadToken('/Out'), paths: [{ source: '/Out/a.txt' }] }), undefined),
    ).rejects.toThrow(refusal(403, 'An upload token cannot be used to download'));
    await expect(authorizeDownload(t.ctx, parseSpec({ token }), undefined)).rejects.toThrow(refusal(400, 'The spec lists no paths'));
    await expect(authorizeDownload(t.ctx, parseSpec({ token, paths: [{ destination: 'a' }] }), undefined)).rejects.toThrow(
      refusal(400, 'Each path needs a source'),
    );
    await expect(
      authorizeDownload(t.ctx, parseSpec({ direction: 'receive', token, paths: [{ source: '/Out/a.txt' }] }), undefined),
    ).resolves.toMatchObject({
      items: [{ nodePath: '/Out/a.txt' }],
    });
  });

  it('refuses a source the token does not cover, naming it', async () => {
    const token = t.downloadToken(['/Out/a.txt']);
    await expect(authorizeDownload(t.ctx, parseSpec({ token, paths: [{ source: '/Private/p.txt' }] }), undefined)).rejects.toThrow(
      refusal(403, 'The token does not cover /Private/p.txt'),
    );
    await expect(
      authorizeDownload(t.ctx, parseSpec({ token, source_root: '/Out', paths: [{ source: 'sub/b.txt' }] }), undefined),
    ).rejects.toThrow(refusal(403, 'The token does not cover /Out/sub/b.txt'));
  });

  it('answers 404 for a covered source that does not exist', async () => {
    const token = t.downloadToken(['/Out']);
    await expect(authorizeDownload(t.ctx, parseSpec({ token, paths: [{ source: '/Out/gone.txt' }] }), undefined)).rejects.toThrow(
      refusal(404, 'Path does not exist: /Out/gone.txt'),
    );
  });

  it("refuses an item that a link takes outside the token's paths", async () => {
    // The grant names a link to a file; the item is reached through the grant, but its real file is
    // another one: a direct call shows the check that backs up the docroot's link rule.
    const token = t.downloadToken(['/Out']);
    await symlink('a.txt', join(t.docroot, 'Out', 'alias.txt'));
    const { items } = await authorizeDownload(t.ctx, parseSpec({ token, paths: [{ source: '/Out/alias.txt' }] }), undefined);
    expect(items[0]?.abs).toBe(join(t.docroot, 'Out', 'a.txt'));
    await expect(checkItemsGranted(t.ctx, ['/Out/alias.txt'], items)).resolves.toBeUndefined();
    const privateItems = await resolveItems(t.ctx, ['/Private/p.txt']);
    await expect(checkItemsGranted(t.ctx, ['/Out'], privateItems)).rejects.toThrow(
      refusal(403, 'A link leads outside what the token covers: /Private/p.txt'),
    );
    await expect(checkItemsGranted(t.ctx, ['/Out', '/Private'], privateItems)).resolves.toBeUndefined();
    await expect(checkItemsGranted(t.ctx, [], privateItems)).rejects.toThrow(expect.objectContaining({ status: 403 }));
  });
});
