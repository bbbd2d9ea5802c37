/**
 * Hostile inputs against an external recipient's personal package link (docs/packages.md §7):
 * guessed and malformed links, a link of a recalled or expired package, one-time-code abuse (wrong,
 * too many, replayed, another recipient's, malformed bodies and content types), forged unlock
 * cookies, downloads of paths outside the package, and the download token stretched on the node.
 * Each case names the attack and the exact answer it must get; afterwards nothing changed: no file
 * on the node, no download recorded, no code mailed, no try of a live code spent by a refusal, and
 * no answer or log line that gives away another recipient, the node's credentials or a secret.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { gatewayDownload } from '../../../test-kit/gateway-download';
import { gatewayUpload } from '../../../test-kit/gateway-upload';
import { LOG_REDACTIONS } from '../../app';
import { PACKAGE_ACCESS_COOKIE } from '../../features/packages/packages-routes';
import { recordingNotifier } from '../share-fixture';
import { createTestApp, embeddedNodeOf, type ApiJson, type LoggedIn, type TestApp, waitForTransfer } from '../test-app';
import { DIALECTS } from '../test-database';
import { treeSnapshot } from '../../../test-kit/tree-snapshot';

interface Outcome {
  status: number;
  code?: string | undefined;
  message?: string | undefined;
}
interface Case {
  attack: string;
  expected: Outcome | Outcome[];
  run: () => Promise<Outcome | Outcome[]>;
}

const GUEST = 'guest@example.org';
const OTHER = 'other@example.org';
const THIRD = 'third@example.org';
const ADDRESSES = [GUEST, OTHER, THIRD];
const FILES: Record<string, Buffer> = {
  'tree/a.txt': Buffer.from('in the tree\n'),
  'tree/deep/b.txt': Buffer.from('deeper\n'),
  'cover.pdf': randomBytes(2000),
};

let node: NodeProcess;
let t: TestApp;
let alice: LoggedIn;
let logs: string;
let notifier: ReturnType<typeof recordingNotifier>;
// Links by package and address; the packages' ids.
const links: Record<string, string> = {};
const ids: Record<string, string> = {};
let guestCookie: string;
let thirdCode: string;
let downloadSpec: Record<string, unknown>;
// Every answer a link gave, with the address that link was sent to: none may name another.
const answers: Array<{ owner: string | null; body: string }> = [];

const outcome = (r: { status: number; json: ApiJson }): Outcome => ({ status: r.status, code: r.json.code });
const withMessage = (r: { status: number; json: ApiJson }): Outcome => ({ status: r.status, code: r.json.code, message: r.json.message });

/** A call without a session, as a recipient's browser makes it. */
async function visit(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { payload?: object | string; ip?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: ApiJson; setCookie: string | undefined }> {
  const r = await t.app.inject({
    method,
    url,
    remoteAddress: options.ip ?? '203.0.113.7',
    headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    ...(options.payload !== undefined ? { payload: options.payload } : {}),
  });
  const owner =
    Object.entries(links)
      .find(([, link]) => url.includes(link))?.[0]
      .split(' ')[1] ?? null;
  answers.push({ owner, body: r.body });
  const set = r.cookies.find((c) => c.name === PACKAGE_ACCESS_COOKIE);
  return {
    status: r.statusCode,
    json: (r.body && String(r.headers['content-type']).includes('json') ? r.json() : {}) as ApiJson,
    setCookie: set && `${set.name}=${set.value}`,
  };
}
const go = async (...args: Parameters<typeof visit>) => outcome(await visit(...args));
const base = (pkg: string, address = GUEST) => `/api/public/packages/${links[`${pkg} ${address}`]}`;
const unlock = (pkg: string, address: string, code: unknown, ip?: string) =>
  visit('POST', `${base(pkg, address)}/unlock`, { payload: { code }, ...(ip ? { ip } : {}) });
const lastCode = (address: string) =>
  /(\d{6})\./.exec(notifier.notices.filter((n) => n.kind === 'package.code' && n.email === address).at(-1)?.text ?? '')?.[1] as string;
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');
const recipientRow = (pkg: string, address: string) =>
  t.db
    .selectFrom('package_recipients')
    .select(['code_attempts', 'code_hash', 'opened_at'])
    .where('package_id', '=', ids[pkg] as string)
    .where('email', '=', address)
    .executeTakeFirstOrThrow();
// The one-minute wait between codes, passed without waiting (packages.test.ts shows the wait itself).
const allowNewCode = (pkg: string, address: string) =>
  t.db
    .updateTable('package_recipients')
    .set({ code_sent_at: Date.now() - 61_000 })
    .where('package_id', '=', ids[pkg] as string)
    .where('email', '=', address)
    .execute();

const TRICKS: Array<[string, Outcome]> = [
  ['/tree/../cover.pdf', { status: 400, code: 'INVALID_PATH' }],
  ['../p2-only.txt', { status: 400, code: 'INVALID_PATH' }],
  ['/tree/deep/../../../outside.txt', { status: 400, code: 'INVALID_PATH' }],
  ['/tree/..%2f..%2foutside.txt', { status: 404, code: 'PATH_NOT_FOUND' }],
  ['/tree/%2e%2e/outside.txt', { status: 404, code: 'PATH_NOT_FOUND' }],
  ['\\tree\\..\\outside.txt', { status: 400, code: 'INVALID_PATH' }],
  ['/tree/\u2024\u2024/outside.txt', { status: 400, code: 'INVALID_PATH' }],
  ['/tree/\u0000/x', { status: 400, code: 'INVALID_PATH' }],
  ['C:/Windows', { status: 404, code: 'PATH_NOT_FOUND' }],
  ['//etc/passwd', { status: 404, code: 'PATH_NOT_FOUND' }],
  ['/etc/passwd', { status: 404, code: 'PATH_NOT_FOUND' }],
  // A prefix of a folder's name is not that folder.
  ['/tre', { status: 404, code: 'PATH_NOT_FOUND' }],
  ['/TREE/A.TXT', { status: 404, code: 'PATH_NOT_FOUND' }],
  ['x'.repeat(4097), { status: 400, code: 'VALIDATION_FAILED' }],
];

const cases: Case[] = [
  // Guessed and malformed links.
  {
    attack: '200 guessed links of the right shape, across the four public routes',
    // Every answer the same: the distinct outcomes of 200 guesses, one.
    expected: [{ status: 404, code: 'NOT_FOUND' }],
    run: async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const guess = `/api/public/packages/${randomBytes(32).toString('base64url')}`;
        seen.add(JSON.stringify(await go('GET', guess)));
        seen.add(JSON.stringify(await go('POST', `${guess}/code`)));
        seen.add(JSON.stringify(await go('POST', `${guess}/unlock`, { payload: { code: '123456' } })));
        seen.add(JSON.stringify(await go('POST', `${guess}/downloads`, { payload: {} })));
      }
      return [...seen].map((s) => JSON.parse(s) as Outcome);
    },
  },
  {
    attack: 'a link with its last character changed, and with its letters in the other case',
    expected: [
      { status: 404, code: 'NOT_FOUND' },
      { status: 404, code: 'NOT_FOUND' },
    ],
    run: async () => {
      const link = links[`open ${GUEST}`] as string;
      const swapped = [...link].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
      return [
        await go('GET', `/api/public/packages/${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`),
        await go('GET', `/api/public/packages/${swapped}`),
      ];
    },
  },
  {
    attack: 'links of the wrong length, another alphabet, Unicode, dots and encoded slashes',
    expected: [
      ...Array.from({ length: 5 }, () => ({ status: 400, code: 'VALIDATION_FAILED' })),
      // `/api/public/packages/..` is `/api/public/`: no route at all.
      { status: 404, code: 'NOT_FOUND' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
    ],
    run: async () => {
      const link = links[`open ${GUEST}`] as string;
      return Promise.all(
        [
          link.slice(0, -1),
          `${link}A`,
          `${link.slice(0, -2)}+=`,
          `${link.slice(0, -1)}é`,
          `${link.slice(0, -1)}\u0430`, // a Cyrillic look-alike
          '..',
          `${link.slice(0, 20)}%2F${link.slice(21)}`,
          encodeURIComponent(`../../${link.slice(6)}`),
        ].map((bad) => go('GET', `/api/public/packages/${bad.includes('%') ? bad : encodeURIComponent(bad)}`)),
      );
    },
  },
  {
    attack: "other secrets as a package link: the link's stored hash, a share link, a package id",
    expected: [
      { status: 404, code: 'NOT_FOUND' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
    ],
    run: async () => {
      // A leaked table row: the hash is itself 43 base64url characters, and opens nothing.
      const hash = createHash('sha256')
        .update(links[`open ${GUEST}`] as string)
        .digest('base64url');
      const space = await t.api(alice, 'POST', '/api/spaces', { name: `Corpus ${randomBytes(4).toString('hex')}` });
      expect((await t.api(alice, 'POST', `/api/spaces/${space.json.id}/folders`, { path: '/docs' })).status).toBe(201);
      const share = await t.api(alice, 'POST', '/api/shares', { spaceId: space.json.id, paths: ['/docs'] });
      expect(share.status, JSON.stringify(share.json)).toBe(201);
      return [
        await go('GET', `/api/public/packages/${hash}`),
        await go('GET', `/api/public/packages/${(share.json.share as { id: string }).id}`),
        await go('GET', `/api/public/packages/${ids.open}`),
      ];
    },
  },
  {
    attack: 'a personal link on the logged-in package routes, without and with a session',
    // Not a package id: refused by the route's schema before anything is looked up.
    expected: [
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
    ],
    run: async () => [
      await go('GET', `/api/packages/${links[`open ${GUEST}`]}`),
      outcome(await t.api(alice, 'GET', `/api/packages/${links[`open ${GUEST}`]}`)),
      outcome(await t.api(alice, 'POST', `/api/packages/${links[`open ${GUEST}`]}/downloads`, {})),
    ],
  },
  {
    attack: "a recalled package's link: page, code, unlock, download",
    expected: Array.from({ length: 4 }, () => ({ status: 404, code: 'NOT_FOUND' })),
    run: async () => [
      await go('GET', base('recalled')),
      await go('POST', `${base('recalled')}/code`),
      await go('POST', `${base('recalled')}/unlock`, { payload: { code: '123456' } }),
      await go('POST', `${base('recalled')}/downloads`, { payload: {} }),
    ],
  },
  {
    attack: "an expired package's link: it says so, lists nothing and sends nothing",
    expected: [{ status: 200 }, { status: 400, code: 'BAD_REQUEST' }, { status: 409, code: 'CONFLICT' }, { status: 409, code: 'CONFLICT' }],
    run: async () => {
      const page = await visit('GET', base('expired'));
      expect(page.json.package).toMatchObject({ status: 'expired', files: [] });
      return [
        outcome(page),
        await go('POST', `${base('expired')}/code`),
        await go('POST', `${base('expired')}/downloads`, { payload: {} }),
        await go('POST', `${base('expired')}/downloads`, { payload: { paths: ['/expired.txt'] } }),
      ];
    },
  },
  {
    attack: 'the HTTP methods a personal link does not take',
    expected: [
      { status: 404, code: 'NOT_FOUND' },
      { status: 404, code: 'NOT_FOUND' },
      { status: 404, code: 'NOT_FOUND' },
    ],
    run: async () => [
      await go('PUT', base('locked'), { payload: {} }),
      await go('DELETE', base('locked')),
      await go('GET', `${base('locked')}/downloads`),
    ],
  },

  // One-time-code abuse: on `other`'s link, whose tries it spends as wrong tries.
  {
    attack: 'five wrong codes from five addresses, then the right one',
    expected: [
      ...[4, 3, 2, 1].map((left) => ({ status: 401, code: 'WRONG_CODE', message: expect.stringContaining(`${left} tr`) as string })),
      ...[0, 0].map(() => ({ status: 401, code: 'WRONG_CODE', message: expect.stringContaining('no tries left') as string })),
    ],
    run: async () => {
      const code = lastCode(OTHER);
      const tries: Outcome[] = [];
      for (let i = 1; i <= 5; i++) tries.push(withMessage(await unlock('locked', OTHER, wrongFor(code), `198.51.100.${i}`)));
      const right = await unlock('locked', OTHER, code, '198.51.100.6');
      expect(right.setCookie).toBeUndefined();
      return [...tries, withMessage(right)];
    },
  },
  {
    attack: "a used code replayed, and another recipient's live code on links whose codes are spent",
    expected: [
      { status: 401, code: 'WRONG_CODE' },
      { status: 401, code: 'WRONG_CODE' },
      { status: 401, code: 'WRONG_CODE' },
    ],
    run: async () => {
      const before = await recipientRow('locked', GUEST);
      const replay = outcome(await unlock('locked', GUEST, lastCode(GUEST)));
      // A code with nothing to check spends no try and counts nothing against the address.
      expect(await recipientRow('locked', GUEST)).toEqual(before);
      return [replay, outcome(await unlock('locked', GUEST, thirdCode)), outcome(await unlock('locked', OTHER, thirdCode, '198.51.100.7'))];
    },
  },
  {
    attack: "guessing from one address across new codes (another recipient's live code among the guesses): the throttle counts on",
    expected: [
      { status: 202 },
      { status: 401, code: 'WRONG_CODE' },
      { status: 401, code: 'WRONG_CODE' },
      { status: 401, code: 'WRONG_CODE' },
      { status: 202 },
      { status: 401, code: 'WRONG_CODE' },
      { status: 401, code: 'WRONG_CODE' },
      { status: 429, code: 'TOO_MANY_ATTEMPTS' },
    ],
    run: async () => {
      const ip = '198.51.100.99';
      const newCode = async () => {
        await allowNewCode('locked', OTHER);
        return go('POST', `${base('locked', OTHER)}/code`);
      };
      const seen: Outcome[] = [await newCode()];
      const first = lastCode(OTHER);
      seen.push(outcome(await unlock('locked', OTHER, thirdCode === first ? wrongFor(first) : thirdCode, ip)));
      for (let i = 0; i < 2; i++) seen.push(outcome(await unlock('locked', OTHER, wrongFor(first), ip)));
      seen.push(await newCode());
      const second = lastCode(OTHER);
      for (let i = 0; i < 2; i++) seen.push(outcome(await unlock('locked', OTHER, wrongFor(second), ip)));
      // The right code, from the address that guessed five times: refused before it is checked.
      seen.push(outcome(await unlock('locked', OTHER, second, ip)));
      expect((await recipientRow('locked', OTHER)).code_attempts).toBe(2);
      return seen;
    },
  },
  {
    attack: 'a new code every minute, all day: ten a day, then none until the day is over',
    // Other has had three (before the corpus, and two above).
    expected: [
      ...Array.from({ length: 7 }, () => ({ status: 202 })),
      { status: 429, code: 'TOO_MANY_ATTEMPTS', message: expect.stringContaining('as many codes as it may in a day') as string },
    ],
    run: async () => {
      const seen: Outcome[] = [];
      for (let i = 0; i < 8; i++) {
        await allowNewCode('locked', OTHER);
        seen.push(withMessage(await visit('POST', `${base('locked', OTHER)}/code`, { ip: `198.51.100.${100 + i}` })));
      }
      return seen;
    },
  },
  {
    attack: 'a second code asked within the minute, and a code for a package that needs none',
    expected: [
      { status: 429, code: 'TOO_MANY_ATTEMPTS' },
      { status: 400, code: 'BAD_REQUEST' },
      { status: 400, code: 'BAD_REQUEST' },
    ],
    run: async () => [
      await go('POST', `${base('locked', THIRD)}/code`),
      await go('POST', `${base('open')}/code`),
      await go('POST', `${base('open')}/unlock`, { payload: { code: '123456' } }),
    ],
  },
  {
    attack: 'malformed unlock bodies: none, empty, a number, an array, too long, broken JSON, 5 MB',
    expected: [
      { status: 400, code: 'BAD_REQUEST' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'VALIDATION_FAILED' },
      { status: 400, code: 'BAD_REQUEST' },
      { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ],
    run: async () => {
      const url = `${base('locked', THIRD)}/unlock`;
      const json = { 'content-type': 'application/json' };
      return [
        await go('POST', url, { headers: json }),
        await go('POST', url, { payload: {} }),
        await go('POST', url, { payload: { code: '   ' } }),
        await go('POST', url, { payload: { code: Number(thirdCode) } }),
        await go('POST', url, { payload: { code: [thirdCode] } }),
        await go('POST', url, { payload: { code: `${thirdCode}${'0'.repeat(20)}` } }),
        await go('POST', url, { payload: `{"code":"${thirdCode}"`, headers: json }),
        await go('POST', url, { payload: JSON.stringify({ code: thirdCode, pad: 'x'.repeat(5 * 1024 * 1024) }), headers: json }),
      ];
    },
  },
  {
    attack: 'the code as a form, as text, and in the query string',
    expected: [
      { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      // JSON is the only body the API takes: text is refused as a form is.
      { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { status: 400, code: 'VALIDATION_FAILED' },
    ],
    run: async () => {
      const url = `${base('locked', THIRD)}/unlock`;
      return [
        await go('POST', url, { payload: `code=${thirdCode}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        await go('POST', url, { payload: thirdCode, headers: { 'content-type': 'text/plain' } }),
        await go('POST', `${url}?code=${thirdCode}`, { payload: {} }),
      ];
    },
  },
  {
    attack: 'a cross-site page posting the code, a code request and a download',
    expected: Array.from({ length: 3 }, () => ({ status: 403, code: 'CSRF_FAILED' })),
    run: async () => {
      const headers = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
      return [
        await go('POST', `${base('locked', THIRD)}/unlock`, { payload: { code: thirdCode }, headers }),
        await go('POST', `${base('locked', THIRD)}/code`, { headers }),
        await go('POST', `${base('locked')}/downloads`, { payload: {}, cookie: guestCookie, headers }),
      ];
    },
  },

  // The unlock cookie.
  {
    attack: 'downloads and the file list without the cookie',
    expected: [{ status: 401, code: 'PACKAGE_CODE_REQUIRED' }, { status: 200 }],
    run: async () => {
      const page = await visit('GET', base('locked', THIRD));
      expect(page.json.package).toMatchObject({ unlocked: false, files: [] });
      return [await go('POST', `${base('locked', THIRD)}/downloads`, { payload: {} }), outcome(page)];
    },
  },
  {
    attack: "guest's cookie on another recipient's link of the same package, and on the same address's other package",
    expected: [
      { status: 401, code: 'PACKAGE_CODE_REQUIRED' },
      { status: 401, code: 'PACKAGE_CODE_REQUIRED' },
    ],
    run: async () => [
      await go('POST', `${base('locked', THIRD)}/downloads`, { payload: {}, cookie: guestCookie }),
      await go('POST', `${base('sealed')}/downloads`, { payload: {}, cookie: guestCookie }),
    ],
  },
  {
    attack: 'forged cookies: expiry pushed out, a made-up MAC, no expiry, garbage, under the share cookie name',
    expected: Array.from({ length: 5 }, () => ({ status: 401, code: 'PACKAGE_CODE_REQUIRED' })),
    run: async () => {
      const [, value] = guestCookie.split('=');
      const [, mac] = (value ?? '').split('.');
      const url = `${base('locked')}/downloads`;
      return Promise.all(
        [
          `${PACKAGE_ACCESS_COOKIE}=${Date.now() + 365 * 86_400_000}.${mac}`,
          `${PACKAGE_ACCESS_COOKIE}=99999999999999.${'A'.repeat(43)}`,
          `${PACKAGE_ACCESS_COOKIE}=${mac}`,
          `${PACKAGE_ACCESS_COOKIE}=..%00`,
          `courier_share_access=${value}`,
        ].map((cookie) => go('POST', url, { payload: {}, cookie })),
      );
    },
  },
  {
    attack: "the sender's own session on the link: a session is no unlock",
    expected: [{ status: 401, code: 'PACKAGE_CODE_REQUIRED' }, { status: 200 }],
    run: async () => {
      const headers = { 'x-csrf-token': alice.csrfToken };
      const page = await visit('GET', base('locked', THIRD), { cookie: alice.cookie });
      expect(page.json.package).toMatchObject({ unlocked: false, files: [] });
      return [await go('POST', `${base('locked', THIRD)}/downloads`, { payload: {}, cookie: alice.cookie, headers }), outcome(page)];
    },
  },
  {
    attack: 'the unlock cookie as a session cookie',
    expected: [
      { status: 401, code: 'UNAUTHENTICATED' },
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    run: async () => {
      const value = guestCookie.split('=')[1] as string;
      return [
        await go('GET', '/api/packages?box=inbox', { cookie: `courier_session=${value}` }),
        await go('GET', `/api/packages/${ids.locked}`, { cookie: `courier_session=${value}` }),
      ];
    },
  },

  // Downloads of what is not the package's.
  {
    attack: 'path tricks beside a real file of the package',
    expected: TRICKS.map(([, o]) => o),
    run: () =>
      Promise.all(
        TRICKS.map(([p]) => go('POST', `${base('locked')}/downloads`, { payload: { paths: ['/cover.pdf', p] }, cookie: guestCookie })),
      ),
  },
  {
    attack: "another package's files: by its name, by its folder on the node, climbing to it",
    expected: [
      { status: 404, code: 'PATH_NOT_FOUND' },
      { status: 404, code: 'PATH_NOT_FOUND' },
      { status: 400, code: 'INVALID_PATH' },
    ],
    run: async () => {
      const url = `${base('locked')}/downloads`;
      return [
        await go('POST', url, { payload: { paths: ['/p2-only.txt'] }, cookie: guestCookie }),
        await go('POST', url, { payload: { paths: [`/packages/${ids.open}/p2-only.txt`] }, cookie: guestCookie }),
        await go('POST', url, { payload: { paths: [`/../${ids.open}/p2-only.txt`] }, cookie: guestCookie }),
      ];
    },
  },
  {
    attack: 'more paths than a download takes, and paths of the wrong type',
    expected: Array.from({ length: 3 }, () => ({ status: 400, code: 'VALIDATION_FAILED' })),
    run: async () => {
      const url = `${base('locked')}/downloads`;
      return [
        await go('POST', url, { payload: { paths: Array.from({ length: 1001 }, () => '/cover.pdf') }, cookie: guestCookie }),
        await go('POST', url, { payload: { paths: '/cover.pdf' }, cookie: guestCookie }),
        await go('POST', url, { payload: { paths: [{ source: '/cover.pdf' }] }, cookie: guestCookie }),
      ];
    },
  },
  {
    attack: "the download's token stretched on the node: another package's file, another folder, an upload",
    expected: [{ status: 400 }, { status: 400 }, { status: 400 }],
    run: async () => {
      const node4xx = async (r: Promise<Response>): Promise<Outcome> => {
        const response = await r;
        await response.arrayBuffer().catch(() => undefined);
        // The node's refusals are 4xx; anything it accepted would be 200.
        return { status: response.status >= 400 && response.status < 500 ? 400 : response.status };
      };
      const otherFolder = String(downloadSpec.source_root).replace(ids.locked as string, ids.open as string);
      expect(otherFolder).not.toBe(String(downloadSpec.source_root));
      return [
        await node4xx(gatewayDownload(node.gatewayUrl, { ...downloadSpec, paths: [{ source: `../${ids.open}/p2-only.txt` }] })),
        await node4xx(gatewayDownload(node.gatewayUrl, { ...downloadSpec, source_root: otherFolder, paths: [{ source: 'p2-only.txt' }] })),
        await node4xx(
          gatewayUpload(node.gatewayUrl, { ...downloadSpec, direction: 'send', destination_root: downloadSpec.source_root }, [
            { path: 'smuggled.txt', data: 'x' },
          ]),
        ),
      ];
    },
  },

  // What an answer gives away.
  {
    attack: 'asking whether an address is a recipient, by query or body',
    expected: [{ status: 200 }, { status: 404, code: 'NOT_FOUND' }],
    run: async () => {
      const asked = await Promise.all(
        [OTHER, 'nobody@example.org'].map((email) =>
          t.app.inject({ method: 'GET', url: `${base('locked', THIRD)}?email=${encodeURIComponent(email)}`, remoteAddress: '203.0.113.7' }),
        ),
      );
      const guessed = await Promise.all(
        [OTHER, 'nobody@example.org'].map((email) =>
          t.app.inject({
            method: 'POST',
            url: `/api/public/packages/${randomBytes(32).toString('base64url')}/code`,
            payload: { email },
            remoteAddress: '203.0.113.7',
          }),
        ),
      );
      // The same answer, to the byte, whichever address is named.
      expect(asked[0]?.body).toBe(asked[1]?.body);
      expect(guessed[0]?.body).toBe(guessed[1]?.body);
      return [
        { status: asked[0]?.statusCode as number },
        { status: guessed[0]?.statusCode as number, code: guessed[0]?.json<ApiJson>().code },
      ];
    },
  },
];

/** Sends a package to `emails`, uploads it and keeps each address's personal link under `name`. */
async function send(name: string, emails: string[], files: Record<string, Buffer>, options: object = {}) {
  const r = await t.api(alice, 'POST', '/api/packages', {
    recipients: { emails },
    subject: `Corpus ${name}`,
    files: Object.entries(files).map(([path, data]) => ({ path, size: data.length })),
    ...options,
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  ids[name] = (r.json.package as { id: string }).id;
  const sent = await gatewayUpload(
    node.gatewayUrl,
    r.json.transferSpec as object,
    Object.entries(files).map(([path, data]) => ({ path, data })),
  );
  expect(sent.status).toBeLessThan(400);
  await waitForTransfer(t, (r.json.transfer as { id: string }).id, 'completed');
  for (const email of emails) {
    const notice = notifier.notices.find((n) => n.kind === 'package.received' && n.email === email && n.text.includes(`Corpus ${name}`));
    links[`${name} ${email}`] = /\/p\/([A-Za-z0-9_-]{43})$/.exec(notice?.link ?? '')?.[1] as string;
    expect(links[`${name} ${email}`]).toBeDefined();
  }
}

describe.each(DIALECTS)('package link corpus on %s', (dialect) => {
  let files: string[];
  let downloads: number;
  let codesMailed: number;

  beforeAll(async () => {
    logs = '';
    answers.length = 0;
    notifier = recordingNotifier();
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) });
    node = await startNodeProcess();
    t = await createTestApp(
      dialect,
      // The codes' own tries are under test; the throttle's one-second step would only slow it.
      { COURIER_LOGIN_DELAY_STEP_SECONDS: '0', COURIER_PACKAGE_EXTERNAL_RECIPIENTS: '1' },
      {
        embeddedNode: embeddedNodeOf(node),
        notifier,
        logger: { level: 'info', stream, redact: LOG_REDACTIONS },
      },
    );
    alice = await t.login('alice');
    await send('locked', ADDRESSES, FILES, { requireCode: true });
    await send('sealed', [GUEST], { 'second.txt': Buffer.from('two\n') }, { requireCode: true });
    await send('open', [GUEST], { 'p2-only.txt': Buffer.from('only in the open package\n') });
    await send('recalled', [GUEST], { 'recalled.txt': Buffer.from('recalled\n') });
    await send('expired', [GUEST], { 'expired.txt': Buffer.from('expired\n') });
    expect((await t.api(alice, 'DELETE', `/api/packages/${ids.recalled}`)).status).toBe(204);
    await t.db
      .updateTable('packages')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', ids.expired as string)
      .execute();
    // The pass that runs every minute may take it first: either way it is expired, its files gone.
    await t.app.courier.expirePackages();
    expect(
      (
        await t.db
          .selectFrom('packages')
          .select('status')
          .where('id', '=', ids.expired as string)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('expired');

    // Guest unlocks and downloads once, for a real cookie and a real token to stretch.
    expect((await visit('POST', `${base('locked')}/code`)).status).toBe(202);
    const unlocked = await unlock('locked', GUEST, lastCode(GUEST));
    expect(unlocked.status).toBe(204);
    guestCookie = unlocked.setCookie as string;
    const download = await visit('POST', `${base('locked')}/downloads`, { payload: { paths: ['/cover.pdf'] }, cookie: guestCookie });
    expect(download.status, JSON.stringify(download.json)).toBe(201);
    downloadSpec = download.json.transferSpec as Record<string, unknown>;
    // Other's code is the one the corpus spends; third's stays live through every refusal.
    expect((await visit('POST', `${base('locked', OTHER)}/code`)).status).toBe(202);
    expect((await visit('POST', `${base('locked', THIRD)}/code`)).status).toBe(202);
    thirdCode = lastCode(THIRD);

    files = await treeSnapshot(join(node.docroot, 'packages'));
    downloads = (await t.db.selectFrom('package_downloads').select('transfer_id').execute()).length;
    codesMailed = notifier.notices.filter((n) => n.kind === 'package.code').length;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it('has the cases the corpus brief names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('refuses: $attack', async ({ run, expected }) => {
    expect(await run()).toMatchObject(expected);
  });

  it('changed nothing: no file on the node, no download recorded, no code mailed but the ones asked for', async () => {
    expect(await treeSnapshot(join(node.docroot, 'packages'))).toEqual(files);
    expect(files.filter((l) => l.endsWith('cover.pdf ' + createHash('sha256').update(FILES['cover.pdf']!).digest('hex')))).toHaveLength(1);
    expect((await t.db.selectFrom('package_downloads').select('transfer_id').execute()).length).toBe(downloads);
    // The throttle case asked for two new codes and the day's case seven; every other request was refused.
    expect(notifier.notices.filter((n) => n.kind === 'package.code').length).toBe(codesMailed + 2 + 7);
  });

  it("spent none of third's tries on the refusals: its code still unlocks, and only then is the package opened", async () => {
    expect(await recipientRow('locked', THIRD)).toMatchObject({ code_attempts: 0, opened_at: null });
    const right = await unlock('locked', THIRD, thirdCode, '192.0.2.200');
    expect(right.status).toBe(204);
    expect((await recipientRow('locked', THIRD)).opened_at).not.toBeNull();
  });

  it('gave away no other recipient, no node credential and no secret, in any answer or log line', () => {
    expect(answers.length).toBeGreaterThan(250);
    for (const { owner, body } of answers) {
      for (const address of ADDRESSES) if (address !== owner) expect(body).not.toContain(address);
      expect(body).not.toContain(node.password);
      expect(body).not.toContain(node.username);
    }
    // The stream really received the request lines, with the link's routes named but not its secret.
    expect(logs).toContain('"url":"/api/public/packages/[link]/unlock"');
    const secrets = [...Object.values(links), guestCookie.split('=')[1] as string, thirdCode, node.password];
    // Except where a case itself put a secret where none belongs (a link on the logged-in routes, the
    // code in the query string): such a URL is logged as it came.
    const misplaced = (line: string) => line.includes('"url":"/api/packages/') || line.includes('?code=');
    expect(logs.split('\n').filter((line) => !misplaced(line) && secrets.some((secret) => line.includes(secret)))).toEqual([]);
  });
});
