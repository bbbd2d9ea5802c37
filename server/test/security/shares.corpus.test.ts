/**
 * Hostile inputs against share links (issue 14): guessing link ids, replaying a link after its
 * revoke, path tricks inside a shared folder, a link id or its access cookie used on other routes,
 * the password smuggled past the unlock. Each case names the attack and the answer it must get;
 * none may answer with what the link shares.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createShareFixture, type ShareFixture } from '../share-fixture';
import { DIALECTS } from '../test-database';

interface Outcome {
  status: number;
  code?: string | undefined;
}
interface Case {
  attack: string;
  expected: Outcome | Outcome[] | string[];
  run: () => Promise<Outcome | Outcome[] | string[]>;
}
// A path trick is refused with 400 (not a path) or 404 (not a shared name): neither lists or sends anything.
const refusal = (status: number) => (status === 400 || status === 404 ? 'refused' : `answered ${status}`);

let node: NodeProcess;
let f: ShareFixture;
let open: string;
let locked: string;
let revoked: string;
let lockedCookie: string;

const outcome = (r: { status: number; json: { code?: string } }): Outcome => ({ status: r.status, code: r.json.code });
const visit = async (...args: Parameters<ShareFixture['visit']>) => outcome(await f.visit(...args));
const TRICKS = [
  '/photos/../docs/report.pdf',
  '../docs',
  '/photos/2024/../../secret.txt',
  '/photos/..%2f..%2fsecret.txt',
  '/photos/%2e%2e/secret.txt',
  '\\photos\\..\\secret.txt',
  '/photos/\u2024\u2024/secret.txt',
  'C:/Windows',
  '//etc/passwd',
  '/etc/passwd',
  '/secret.txt',
  '/photos/\u0000/x',
];

const cases: Case[] = [
  {
    attack: '200 random link ids of the right shape',
    // Every answer the same: the distinct outcomes of 200 guesses, one.
    expected: [{ status: 404, code: 'NOT_FOUND' }],
    run: async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++)
        seen.add(JSON.stringify(await visit('GET', `/api/public/shares/${randomBytes(18).toString('base64url')}`)));
      return [...seen].map((s) => JSON.parse(s) as Outcome);
    },
  },
  {
    attack: 'a link id with its last character changed',
    expected: { status: 404, code: 'NOT_FOUND' },
    run: () => visit('GET', `/api/public/shares/${open.slice(0, -1)}${open.endsWith('A') ? 'B' : 'A'}`),
  },
  {
    attack: 'ids that are not link ids: traversal, too short, a space id',
    expected: [
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 404, code: 'NOT_FOUND' },
    ],
    run: async () => [
      await visit('GET', `/api/public/shares/${encodeURIComponent('../shares')}`),
      await visit('GET', '/api/public/shares/abc'),
      await visit('GET', `/api/public/shares/${f.spaceId}`),
    ],
  },
  {
    attack: 'a download asked again after the revoke, with the link and files it had',
    expected: { status: 410, code: 'SHARE_REVOKED' },
    run: () => visit('POST', `/api/public/shares/${revoked}/downloads`, { payload: { paths: ['/photos/b.jpg'] } }),
  },
  {
    attack: 'the revoked link browsed and unlocked',
    expected: [
      { status: 410, code: 'SHARE_REVOKED' },
      { status: 410, code: 'SHARE_REVOKED' },
    ],
    run: async () => [
      await visit('GET', `/api/public/shares/${revoked}/files?path=%2Fphotos`),
      await visit('POST', `/api/public/shares/${revoked}/unlock`, { payload: { password: 'anything' } }),
    ],
  },
  {
    attack: 'path tricks in a shared folder, browsed',
    expected: TRICKS.map(() => 'refused'),
    run: async () =>
      Promise.all(
        TRICKS.map(async (p) => refusal((await visit('GET', `/api/public/shares/${open}/files?path=${encodeURIComponent(p)}`)).status)),
      ),
  },
  {
    attack: 'path tricks in a shared folder, downloaded',
    expected: TRICKS.map(() => 'refused'),
    run: async () =>
      Promise.all(
        TRICKS.map(async (p) =>
          refusal((await visit('POST', `/api/public/shares/${open}/downloads`, { payload: { paths: ['/photos/b.jpg', p] } })).status),
        ),
      ),
  },
  {
    attack: 'the password in the query string instead of the unlock body',
    expected: { status: 401, code: 'SHARE_PASSWORD_REQUIRED' },
    run: () => visit('GET', `/api/public/shares/${locked}?password=right%20words&token=right%20words`),
  },
  {
    attack: "one link's access cookie sent to another link's routes",
    expected: { status: 401, code: 'SHARE_PASSWORD_REQUIRED' },
    run: async () => {
      const other = await f.t.api(f.admin, 'POST', '/api/shares', { spaceId: f.spaceId, paths: ['/photos'], password: 'right words' });
      return visit('GET', `/api/public/shares/${(other.json.share as { id: string }).id}`, { cookie: lockedCookie });
    },
  },
  {
    attack: 'a forged access cookie (a far expiry, a made-up MAC)',
    expected: { status: 401, code: 'SHARE_PASSWORD_REQUIRED' },
    run: () => visit('GET', `/api/public/shares/${locked}`, { cookie: `courier_share_access=99999999999999.${'A'.repeat(43)}` }),
  },
  {
    attack: "a link's access cookie used as a session cookie",
    expected: { status: 401, code: 'UNAUTHENTICATED' },
    run: async () => {
      const value = lockedCookie.split('=')[1] as string;
      return visit('GET', '/api/shares', { cookie: `courier_session=${value}` });
    },
  },
  {
    attack: 'a link id used on the logged-in routes: as a space, a transfer, a share without a session',
    expected: [
      { status: 404, code: 'SPACE_NOT_FOUND' },
      { status: 404, code: 'NOT_FOUND' },
      { status: 404, code: 'SPACE_NOT_FOUND' },
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    run: async () => [
      outcome(await f.t.api(f.admin, 'GET', `/api/spaces/${open}/files?path=%2F`)),
      outcome(await f.t.api(f.admin, 'GET', `/api/transfers/${open}`)),
      outcome(await f.t.api(f.admin, 'POST', '/api/transfers', { spaceId: open, direction: 'download', paths: ['/photos'] })),
      await visit('GET', `/api/shares/${open}`),
    ],
  },
  {
    attack: 'another user reads, edits or revokes a link by its id',
    expected: [
      { status: 404, code: 'NOT_FOUND' },
      { status: 404, code: 'NOT_FOUND' },
      { status: 404, code: 'NOT_FOUND' },
    ],
    run: async () => {
      const bob = await f.t.login('bob');
      return [
        outcome(await f.t.api(bob, 'GET', `/api/shares/${open}`)),
        outcome(await f.t.api(bob, 'PATCH', `/api/shares/${open}`, { maxDownloads: 1000 })),
        outcome(await f.t.api(bob, 'DELETE', `/api/shares/${open}`)),
      ];
    },
  },
  {
    attack: 'a cross-site page posting the unlock',
    expected: { status: 403, code: 'CSRF_FAILED' },
    run: async () => {
      const r = await f.t.app.inject({
        method: 'POST',
        url: `/api/public/shares/${locked}/unlock`,
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        payload: { password: 'right words' },
      });
      return { status: r.statusCode, code: r.json<{ code: string }>().code };
    },
  },
  {
    attack: 'sharing a path outside the space',
    expected: { status: 400, code: 'INVALID_PATH' },
    run: async () => outcome(await f.t.api(f.admin, 'POST', '/api/shares', { spaceId: f.spaceId, paths: ['/../../etc'] })),
  },
];

describe.each(DIALECTS)('share link corpus on %s', (dialect) => {
  beforeAll(async () => {
    node = await startNodeProcess();
    f = await createShareFixture(dialect, node);
    const make = async (body: object) =>
      ((await f.t.api(f.admin, 'POST', '/api/shares', { spaceId: f.spaceId, ...body })).json.share as { id: string }).id;
    open = await make({ paths: ['/photos'] });
    locked = await make({ paths: ['/docs'], password: 'right words' });
    revoked = await make({ paths: ['/photos'] });
    expect((await f.visit('POST', `/api/public/shares/${revoked}/downloads`, { payload: { paths: ['/photos/b.jpg'] } })).status).toBe(201);
    await f.t.api(f.admin, 'DELETE', `/api/shares/${revoked}`);
    lockedCookie = (await f.visit('POST', `/api/public/shares/${locked}/unlock`, { payload: { password: 'right words' } }))
      .setCookie as string;
    expect(lockedCookie).toBeDefined();
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await node?.stop();
  });

  it.each(cases)('refuses: $attack', async ({ run, expected }) => {
    expect(await run()).toMatchObject(expected);
  });

  it('never authorized a download for the attacks: only the one made before the revoke is recorded', async () => {
    const rows = await f.t.db.selectFrom('transfers').select(['share_id']).where('share_id', 'is not', null).execute();
    expect(rows.map((r) => r.share_id)).toEqual([revoked]);
  });
});
