/**
 * Name conflicts of an upload are the person's decision, and the node holds to it: replace only for
 * a role that may delete, "keep both" as a renamed path that must be free, nothing replaced
 * otherwise. Real portal, real embedded node process, bytes read back from its docroot.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { createTestApp, embeddedNodeOf, TEST_PASSWORD, type LoggedIn, type TestApp } from '../../test/test-app';
import { DIALECTS } from '../../test/test-database';

describe.each(DIALECTS)('upload name conflicts and whole-folder actions on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let manager: LoggedIn;
  let contributor: LoggedIn;
  let viewer: LoggedIn;
  let spaceId: string;
  let root: string;

  const api: TestApp['api'] = (...args) => t.api(...args);
  const onDisk = (name: string) => readFile(join(root, name), 'utf8');
  const upload = (who: LoggedIn, files: Array<{ path: string; data: string }>, replace?: string[]) =>
    api(who, 'POST', '/api/transfers', {
      spaceId,
      direction: 'upload',
      folder: '/',
      files: files.map((f) => ({ path: f.path, size: Buffer.byteLength(f.data) })),
      ...(replace ? { replace } : {}),
    });

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    manager = await t.login('alice');
    const rootPath = `/conflicts-${randomBytes(4).toString('hex')}`;
    root = join(node.docroot, rootPath);
    const space = await api(manager, 'POST', '/api/spaces', { name: 'Conflicts', rootPath });
    expect(space.status).toBe(201);
    spaceId = space.json.id as string;
    for (const role of ['contributor', 'viewer'] as const) {
      const user = await api(manager, 'POST', '/api/users', { username: role, displayName: role, password: TEST_PASSWORD });
      await api(manager, 'PUT', `/api/spaces/${spaceId}/members`, { principalType: 'user', principalId: user.json.id, role });
    }
    contributor = await t.login('contributor');
    viewer = await t.login('viewer');
    await mkdir(join(root, 'Photos'), { recursive: true });
    await writeFile(join(root, 'report.txt'), 'original');
    await writeFile(join(root, 'report (1).txt'), 'first copy');
    await writeFile(join(root, 'Photos/a.jpg'), 'photo');
  });
  afterAll(async () => {
    await t.close();
    await node.stop();
  });

  it('names each existing name with a free one beside it, for any member who may list', async () => {
    const answer = await api(viewer, 'POST', `/api/spaces/${spaceId}/name-conflicts`, {
      folder: '/',
      names: ['report.txt', 'Photos', 'new.txt', 'report (2).txt'],
    });
    expect(answer.status).toBe(200);
    // "report (2).txt" is asked for too, so "keep both" of report.txt may not take it.
    expect(answer.json.conflicts).toEqual([
      { name: 'report.txt', type: 'file', freeName: 'report (3).txt' },
      { name: 'Photos', type: 'folder', freeName: 'Photos (1)' },
    ]);
    const bad = await api(viewer, 'POST', `/api/spaces/${spaceId}/name-conflicts`, { folder: '/', names: ['a/b'] });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('INVALID_NAME');
  });

  it('refuses an upload over an existing name that was not chosen to be replaced, for every role', async () => {
    for (const who of [manager, contributor]) {
      const file = await upload(who, [{ path: 'report.txt', data: 'silent' }]);
      expect(file.status).toBe(409);
      expect(file.json.code).toBe('NAME_TAKEN');
      // A dropped folder that exists is a conflict too, not a silent merge.
      const folder = await upload(who, [{ path: 'Photos/b.jpg', data: 'b' }]);
      expect(folder.json.code).toBe('NAME_TAKEN');
    }
    expect(await onDisk('report.txt')).toBe('original');
  });

  it('refuses "replace" to a contributor, and lets the manager replace the bytes on disk', async () => {
    const refused = await upload(contributor, [{ path: 'report.txt', data: 'mine' }], ['report.txt']);
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('FORBIDDEN');

    const allowed = await upload(manager, [{ path: 'report.txt', data: 'replaced' }], ['report.txt']);
    expect(allowed.status).toBe(201);
    const sent = await gatewayUpload(node.gatewayUrl, allowed.json.transferSpec as object, [{ path: 'report.txt', data: 'replaced' }]);
    expect(sent.status).toBeLessThan(400);
    expect(await onDisk('report.txt')).toBe('replaced');
  });

  it('keeps both as a renamed path that must be free, and the node never replaces for it', async () => {
    const taken = await upload(contributor, [{ path: 'report (1).txt', data: 'copy' }]);
    expect(taken.json.code).toBe('NAME_TAKEN');
    const kept = await upload(contributor, [{ path: 'report (2).txt', data: 'second copy' }]);
    expect(kept.status).toBe(201);
    expect(
      (await gatewayUpload(node.gatewayUrl, kept.json.transferSpec as object, [{ path: 'report (2).txt', data: 'second copy' }])).status,
    ).toBeLessThan(400);
    expect(await onDisk('report (2).txt')).toBe('second copy');
    expect(await onDisk('report.txt')).toBe('replaced');
  });

  it('seals "never" for the kept files of an upload that replaces others, even if the name was taken after the check', async () => {
    const mixed = await upload(
      manager,
      [
        { path: 'report.txt', data: 'third' },
        { path: 'late.txt', data: 'mine' },
      ],
      ['report.txt'],
    );
    expect(mixed.status).toBe(201);
    // Someone else's file lands under the kept name between authorization and upload.
    await writeFile(join(root, 'late.txt'), 'theirs');
    const sent = await gatewayUpload(node.gatewayUrl, mixed.json.transferSpec as object, [
      { path: 'report.txt', data: 'third' },
      { path: 'late.txt', data: 'mine' },
    ]);
    expect(sent.status).toBe(409);
    expect(await onDisk('late.txt')).toBe('theirs');
  });

  it('deletes "all of this folder" as the node lists it, for a manager only', async () => {
    await mkdir(join(root, 'Many'), { recursive: true });
    for (let i = 0; i < 1203; i++) await writeFile(join(root, `Many/f${i}.txt`), 'x');
    const refused = await api(contributor, 'POST', `/api/spaces/${spaceId}/delete`, { allOf: '/Many' });
    expect(refused.status).toBe(403);
    const both = await api(manager, 'POST', `/api/spaces/${spaceId}/delete`, { allOf: '/Many', paths: ['/Many/f1.txt'] });
    expect(both.status).toBe(400);

    const exceptWithout = await api(manager, 'POST', `/api/spaces/${spaceId}/delete`, {
      paths: ['/Many/f1.txt'],
      except: ['/Many/f2.txt'],
    });
    expect(exceptWithout.status).toBe(400);

    // "Select all", then two unticked: those two stay.
    const deleted = await api(manager, 'POST', `/api/spaces/${spaceId}/delete`, {
      allOf: '/Many',
      except: ['/Many/f7.txt', '/Many/f1200.txt'],
    });
    expect(deleted.status).toBe(200);
    expect((deleted.json.results as Array<{ ok: boolean }>).filter((r) => r.ok)).toHaveLength(1201);
    expect((await readdir(join(root, 'Many'))).sort()).toEqual(['f1200.txt', 'f7.txt']);
  });

  it('downloads "all of this folder": every entry, or the folder itself past what a record keeps', async () => {
    const all = await api(viewer, 'POST', '/api/transfers', { spaceId, direction: 'download', allOf: '/Photos' });
    expect(all.status).toBe(201);
    expect(all.json.transferSpec).toMatchObject({ paths: [{ source: 'Photos/a.jpg' }], title: 'All of Photos' });
    await mkdir(join(root, 'Lots'), { recursive: true });
    for (let i = 0; i < 101; i++) await writeFile(join(root, `Lots/f${i}.txt`), 'x');
    const lots = await api(viewer, 'POST', '/api/transfers', { spaceId, direction: 'download', allOf: '/Lots' });
    expect(lots.status).toBe(201);
    expect(lots.json.transferSpec).toMatchObject({ paths: [{ source: 'Lots' }] });
    expect(lots.json.transfer).toMatchObject({ paths: ['/Lots'], title: 'All of Lots' });
    const allBut = await api(viewer, 'POST', '/api/transfers', {
      spaceId,
      direction: 'download',
      allOf: '/Lots',
      except: ['/Lots/f3.txt'],
    });
    expect(allBut.status).toBe(201);
    const sources = (allBut.json.transferSpec as { paths: Array<{ source: string }> }).paths.map((p) => p.source);
    expect(sources).toHaveLength(100);
    expect(sources).not.toContain('Lots/f3.txt');
    expect(allBut.json.transfer).toMatchObject({ title: '100 items of Lots' });
  });

  it('filters a folder by name across every entry, not a page of them', async () => {
    await mkdir(join(root, 'Mixed'), { recursive: true });
    for (let i = 0; i < 1100; i++) await writeFile(join(root, `Mixed/${i % 100 === 0 ? 'Budget' : 'other'}-${i}.txt`), 'x');
    const page = await api(viewer, 'GET', `/api/spaces/${spaceId}/files?path=/Mixed&filter=bUdGeT&count=5&skip=5`);
    expect(page.status).toBe(200);
    expect(page.json.totalCount).toBe(11);
    expect((page.json.items as Array<{ name: string }>).map((i) => i.name)).toEqual([
      // The node's name order: Budget-0, -100, -1000, -200, -300, then these.
      'Budget-400.txt',
      'Budget-500.txt',
      'Budget-600.txt',
      'Budget-700.txt',
      'Budget-800.txt',
    ]);
    expect((await api(viewer, 'GET', `/api/spaces/${spaceId}/files?path=/Mixed&filter=nothing-like-it`)).json.totalCount).toBe(0);
  });
});
