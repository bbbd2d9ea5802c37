import { describe, expect, it } from 'vitest';
import { findRootConflicts, generatedRoot, rootRelation, sharedRootFrom, spaceNameKey, spaceRootKey } from './space-root';

describe('space roots', () => {
  it.each([
    ['/Spaces/Project-X', '/spaces/project-x'],
    ['/spaces/e\u0301te\u0301', '/spaces/\u00e9t\u00e9'],
    ['/spaces/ＡＢＣ', '/spaces/abc'],
    ['/spaces/straße', '/spaces/strasse'],
    ['/spaces/fi\u200Bnance\uFEFF', '/spaces/finance'],
    ['/spaces/ΟΔΟΣ', '/spaces/οδοσ'],
    ['/spaces/ǅ', '/spaces/ǆ'],
  ])('compares %s and %s as one folder', (a, b) => {
    expect(spaceRootKey(a)).toBe(spaceRootKey(b));
  });

  it.each([
    ['/a/b', '/a/b', 'same'],
    ['/a/b/c', '/a/b', 'inside'],
    ['/a', '/a/b', 'contains'],
    ['/', '/a', 'contains'],
    ['/a/bc', '/a/b', null],
    ['/a/b', '/a/bc', null],
  ] as const)('%s stands to %s as %s', (a, b, relation) => {
    expect(rootRelation(a, b)).toBe(relation);
  });

  it.each([
    ['Project X', /^\/spaces\/project-x-[0-9a-f]{6}$/],
    ['Ärzte', /^\/spaces\/ärzte-[0-9a-f]{6}$/],
    ['財務', /^\/spaces\/財務-[0-9a-f]{6}$/],
    ['!!!', /^\/spaces\/space-[0-9a-f]{6}$/],
    ['\u0301\u0301', /^\/spaces\/space-[0-9a-f]{6}$/],
    ['a'.repeat(300), /^\/spaces\/a{40}-[0-9a-f]{6}$/],
  ])('generates a readable, unique folder for %s', (name, pattern) => {
    const first = generatedRoot(name);
    expect(first).toMatch(pattern);
    expect(generatedRoot(name)).not.toBe(first);
  });

  it('refuses admin-given roots that hold other spaces or that a node would rename', () => {
    for (const root of ['/', '/home', '/HOME/x', '/spaces', '/a/b.', '/a /b', '/a/../b'])
      expect(() => sharedRootFrom(root), root).toThrow();
    expect(sharedRootFrom('//projects/./alpha/')).toBe('/projects/alpha');
  });

  it('folds names for duplicates', () => {
    expect(spaceNameKey('  Ｆｉ\u200Bnance   Team ')).toBe(spaceNameKey('finance team'));
    expect(spaceNameKey('Project X')).not.toBe(spaceNameKey('project-x'));
  });

  it('finds shared and nested folders per node only', () => {
    const s = (id: string, node: string, root: string) => ({ id, name: id, node_id: node, root_path: root, owner_user_id: null });
    const conflicts = findRootConflicts([
      s('a', 'n1', '/x'),
      s('b', 'n1', '/X'),
      s('c', 'n1', '/x/y/z'),
      s('d', 'n2', '/x'),
      s('e', 'n1', '/xy'),
    ]);
    expect(conflicts.map((c) => `${c.kind} ${c.spaces.map((x) => x.id).join('')}`).sort()).toEqual([
      'nested ac',
      'nested bc',
      'same-folder ab',
    ]);
  });
});
