import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../../test-kit/courier-process';
import { createTestApp, embeddedNodeOf, type TestApp } from '../test-app';
import { DIALECTS } from '../test-database';

/**
 * The portal's hostile-input corpus for spaces (issue 10, item 1): names that slug alike in many
 * scripts, look-alike and invisible characters, and admin-given folders that equal, contain or lie
 * inside another space's, climb, or take the parents of personal and generated folders. Every
 * case runs against the spaces made in `beforeAll`; after each one no two spaces share a folder.
 */

/** Folders of the spaces made before the cases, by name: a case may aim inside one of them. */
type Roots = Record<string, string>;
interface Case {
  label: string;
  name: string;
  rootPath?: string | ((roots: Roots) => string);
  status: 201 | 400 | 409;
  code?: 'NAME_TAKEN' | 'SPACE_ROOT_OVERLAPS' | 'INVALID_PATH' | 'VALIDATION_FAILED';
}

const BASELINE = [
  { name: 'Alpha', rootPath: '/projects/alpha' },
  { name: 'Strasse', rootPath: '/data/strasse' },
  { name: 'Été', rootPath: '/data/\u00e9t\u00e9' },
  { name: 'Finance' },
  { name: 'Project X' },
  { name: 'Ärzte' },
  { name: '財務' },
  { name: 'Финансы' },
  { name: 'Οδός' },
  { name: 'المالية' },
];

const taken = (label: string, name: string): Case => ({ label, name, status: 409, code: 'NAME_TAKEN' });
const fresh = (label: string, name: string, rootPath?: Case['rootPath']): Case => ({
  label,
  name,
  ...(rootPath ? { rootPath } : {}),
  status: 201,
});
const overlaps = (label: string, rootPath: Case['rootPath']): Case => ({
  label,
  name: `Overlap: ${label}`,
  rootPath,
  status: 409,
  code: 'SPACE_ROOT_OVERLAPS',
});
const badPath = (label: string, rootPath: string): Case => ({
  label,
  name: `Bad path: ${label}`,
  rootPath,
  status: 400,
  code: 'INVALID_PATH',
});
const badInput = (label: string, name: string, rootPath?: string): Case => ({
  label,
  name,
  ...(rootPath === undefined ? {} : { rootPath }),
  status: 400,
  code: 'VALIDATION_FAILED',
});

const cases: Case[] = [
  // Names that slugged to one folder: each gets its own now.
  fresh('hyphenated twin of "Project X"', 'project-x'),
  fresh('underscored twin of "Project X"', 'PROJECT_X'),
  fresh('dotted twin of "Project X"', 'project.x'),
  fresh('diacritic-less twin of "Ärzte"', 'arzte'),
  fresh('another CJK name (both slugged to "space")', '人事'),
  fresh('Japanese katakana', 'ファイナンス'),
  fresh('Korean hangul', '재무'),
  fresh('Hebrew', 'כספים'),
  fresh('Devanagari with vowel signs', 'वित्त'),
  fresh('Thai', 'การเงิน'),
  fresh('emoji only (no letters: "space")', '💰💰'),
  fresh('punctuation only', '!!!'),
  fresh('a dot', '.'),
  fresh('two dots', '..'),
  fresh('traversal as a name', '../../etc/passwd'),
  fresh('a home path as a name', '/home/bob'),
  fresh('a Windows device name', 'CON'),
  fresh('200 CJK characters (slug cut to 40)', '財'.repeat(200)),
  // The same name again, however it is spelled.
  taken('exact duplicate', 'Finance'),
  taken('lower case', 'finance'),
  taken('upper case', 'FINANCE'),
  taken('full-width letters', 'Ｆｉｎａｎｃｅ'),
  taken('"fi" ligature', 'ﬁnance'),
  taken('zero-width space inside', 'Fi\u200Bnance'),
  taken('soft hyphen inside', 'Fin\u00ADance'),
  taken('right-to-left override in front', '\u202EFinance'),
  taken('byte-order mark in front', '\uFEFFFinance'),
  taken('padded with spaces', '  Finance  '),
  taken('doubled inner space', 'Project  X'),
  taken('no-break space inside', 'Project\u00A0X'),
  taken('decomposed umlaut', 'A\u0308rzte'),
  taken('lower-case umlaut', 'ärzte'),
  taken('CJK duplicate', '財務'),
  taken('Cyrillic upper case', 'ФИНАНСЫ'),
  taken('Greek upper case', 'ΟΔΌΣ'),
  taken('Greek with a medial sigma at the end', 'οδόσ'),
  fresh('Greek without the accent (a different word)', 'Οδος'),
  taken('Arabic duplicate', 'المالية'),
  // Look-alikes that are different names and folders: allowed, each with its own folder.
  fresh('Cyrillic і look-alike (not folded: a different folder on every node)', 'Fіnance'),
  fresh('Turkish dotted capital I', 'FİNANCE'),
  fresh('Greek omicron look-alike', 'Prοject X'),
  // Names the API refuses outright.
  badInput('empty', ''),
  badInput('spaces only', '   '),
  badInput('invisible characters only', '\u200B\u200D\uFEFF'),
  badInput('NUL inside', 'Fin\u0000ance'),
  badInput('newline inside', 'Fin\nance'),
  badInput('201 characters', 'x'.repeat(201)),
  // Admin-given folders in, around or on another space's.
  overlaps('the same folder', '/projects/alpha'),
  overlaps('inside it', '/projects/alpha/docs'),
  overlaps('deep inside it', '/projects/alpha/a/b/c/d'),
  overlaps('its parent', '/projects'),
  overlaps('upper case', '/PROJECTS/ALPHA'),
  overlaps('mixed case inside', '/Projects/Alpha/Docs'),
  overlaps('trailing slash', '/projects/alpha/'),
  overlaps('doubled slashes', '//projects//alpha'),
  overlaps('dot segments', '/projects/./alpha/.'),
  overlaps('full-width letters', '/projects/ａｌｐｈａ'),
  overlaps('zero-width space', '/projects/al\u200Bpha'),
  overlaps('sharp s against "ss"', '/data/straße'),
  overlaps('decomposed accents against composed', '/data/e\u0301te\u0301'),
  overlaps('upper-case accents', '/DATA/ÉTÉ'),
  overlaps('inside a generated folder', (roots) => `${roots.Finance}/inbox`),
  overlaps('a generated folder in upper case', (roots) => roots['Project X']!.toUpperCase()),
  overlaps("inside a non-Latin space's generated folder", (roots) => `${roots['財務']}/2024`),
  overlaps('the parent of every /data space', '/DATA'),
  // Folders no shared space may have.
  badPath('the whole node', '/'),
  badPath('empty (the whole node)', ''),
  badPath('a dot (the whole node)', '.'),
  badPath('the parent of generated folders', '/spaces'),
  badPath('the parent of generated folders, upper case', '/SPACES/'),
  badPath('the parent of personal folders', '/home'),
  badPath('a personal folder', '/home/bob'),
  badPath('inside a personal folder', '/home/bob/docs'),
  badPath('a personal folder in upper case', '/HOME/Bob'),
  badPath('the folder of a user yet to log in', '/home/nobody-yet'),
  badPath('climbing with ..', '/projects/beta/../alpha'),
  badPath('.. at the end', '/projects/beta/..'),
  badPath('relative climb', '../projects'),
  badPath('backslash climb', '/projects/beta\\..\\alpha'),
  badPath('NUL', '/projects/be\u0000ta'),
  badPath('newline', '/projects/be\nta'),
  badPath('full-width solidus reads as a slash', '/projects/alpha／docs'),
  badPath('two-dot leader reads as ..', '/projects/\u2025'),
  badPath('one-dot leader reads as .', '/projects/\u2024'),
  badPath('trailing dot, dropped by Windows', '/projects/alpha.'),
  badPath('trailing space, dropped by Windows', '/projects/alpha '),
  badPath('a 256-character name', `/projects/${'n'.repeat(256)}`),
  badInput('a path longer than 4,096 characters', 'Too long', `/${'a/'.repeat(2049)}`),
  // Folders that only look close: their own.
  fresh('a sibling sharing a prefix', 'Alphabet', '/projects/alphabet'),
  fresh('a shorter sibling', 'Alph', '/projects/alph'),
  fresh('the old slug of "Finance" (generated ones carry an id now)', 'Old finance', '/spaces/finance'),
  fresh('percent-encoded slash stays a name', 'Encoded', '/projects/alpha%2F..%2Fbeta'),
  fresh('the word home elsewhere', 'Homework', '/homework'),
  fresh('a folder named like a user under another parent', 'Bob archive', '/archive/home/bob'),
];

describe.each(DIALECTS)('spaces hostile-input corpus on %s', (dialect) => {
  let node: NodeProcess;
  let t: TestApp;
  let admin: { cookie: string; csrfToken: string };
  const roots: Roots = {};

  const post = async (body: { name: string; rootPath?: string }) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/spaces',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      payload: body,
    });
    return { status: r.statusCode, json: r.json() as { id?: string; code?: string; message?: string } };
  };
  /** A check of its own, independent of the portal's: no folder equals or contains another, ignoring case. */
  async function expectNoSharedFolders() {
    const rows = await t.db.selectFrom('spaces').select(['name', 'root_path']).execute();
    const keys = rows.map((r) => ({ name: r.name, key: r.root_path.normalize('NFKC').toLowerCase() }));
    for (const a of keys) {
      for (const b of keys) {
        if (a === b) continue;
        expect(a.key === b.key || b.key.startsWith(`${a.key}/`), `"${a.name}" (${a.key}) and "${b.name}" (${b.key})`).toBe(false);
      }
    }
  }

  beforeAll(async () => {
    node = await startNodeProcess();
    t = await createTestApp(dialect, {}, { embeddedNode: embeddedNodeOf(node) });
    admin = await t.login('alice');
    const bob = await t.login('bob');
    await t.app.inject({ method: 'GET', url: '/api/spaces', headers: { cookie: bob.cookie } });
    for (const space of BASELINE) {
      const created = await post(space);
      expect(created.status, space.name).toBe(201);
      roots[space.name] = (
        await t.db.selectFrom('spaces').select('root_path').where('id', '=', created.json.id!).executeTakeFirstOrThrow()
      ).root_path;
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await node?.stop();
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const rootPath = typeof c.rootPath === 'function' ? c.rootPath(roots) : c.rootPath;
    const response = await post({ name: c.name, ...(rootPath === undefined ? {} : { rootPath }) });
    expect(response.status, JSON.stringify(response.json)).toBe(c.status);
    if (c.code) expect(response.json.code).toBe(c.code);
    if (c.status === 201 && rootPath === undefined) {
      const root = (await t.db.selectFrom('spaces').select('root_path').where('id', '=', response.json.id!).executeTakeFirstOrThrow())
        .root_path;
      expect(root).toMatch(/^\/spaces\/[^/]{1,40}-[0-9a-f]{6}$/);
    }
    await expectNoSharedFolders();
  });

  it('leaves no spaces sharing a folder for the admin to resolve', async () => {
    const conflicts = await t.app.inject({ method: 'GET', url: '/api/admin/space-conflicts', headers: { cookie: admin.cookie } });
    expect(conflicts.json()).toEqual({ conflicts: [] });
  });
});
