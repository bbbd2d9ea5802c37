import { describe, expect, it } from 'vitest';
import { findRootConflicts, generatedRoot, overlapping, personalRoot, sharedRootFrom, spaceNameKey } from './space-root';

const refused = (why: string) => expect.objectContaining({ statusCode: 400, message: expect.stringContaining(why) });
const space = (id: string, root_path: string, node_id = 'n1') => ({ id, name: id, node_id, root_path, owner_user_id: null });

// Cases Stryker found untested (docs/reliability.md).
describe('space roots, edges', () => {
  it('compares names with runs of spaces as one and no spaces around', () => {
    expect(spaceNameKey('  Project   X ')).toBe(spaceNameKey('project x'));
    expect(spaceNameKey('Project X')).not.toBe(spaceNameKey('ProjectX'));
  });

  it('refuses each shared root that could never be one, saying why', () => {
    expect(() => sharedRootFrom('/')).toThrow(refused('is the whole node'));
    expect(() => sharedRootFrom('/Spaces')).toThrow(refused('holds the folders of all spaces'));
    expect(() => sharedRootFrom('/HOME/alice')).toThrow(refused('is where personal spaces live (/home/<username>)'));
    expect(() => sharedRootFrom('/team/alpha.')).toThrow(refused('ending in a dot or a space'));
    expect(() => sharedRootFrom('/team /alpha')).toThrow(refused('ending in a dot or a space'));
  });

  it('accepts dots and spaces inside folder names', () => {
    expect(sharedRootFrom('/team/v1.2 final')).toBe('/team/v1.2 final');
    expect(sharedRootFrom('/homework')).toBe('/homework');
  });

  it('slugs generated roots: ignorable characters dropped, one dash per run, no dash or mark at the ends', () => {
    const slug = (name: string) => /^\/spaces\/(.*)-[0-9a-f]{6}$/.exec(generatedRoot(name))?.[1];
    expect(slug('Fi\u200bnance  &  Ops')).toBe('finance-ops');
    expect(slug('\u0301\u0301Alpha')).toBe('alpha');
    expect(slug(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
    expect(slug('2024')).toBe('2024');
    expect(slug('!!!')).toBe('space');
  });

  it('roots a personal space at /home/<username>, with a random id when that folder is taken', () => {
    expect(personalRoot('Alice')).toBe('/home/alice');
    expect(personalRoot('Alice', true)).toMatch(/^\/home\/alice-[0-9a-f]{6}$/);
    expect(personalRoot('Alice', true)).not.toBe(personalRoot('Alice', true));
  });

  it('finds the first overlapping space on the same node only', () => {
    const spaces = [space('other-node', '/team', 'n2'), space('apart', '/sales'), space('outer', '/Team')];
    expect(overlapping(spaces, 'n1', '/team/q1')).toEqual({ space: spaces[2], relation: 'inside' });
    expect(overlapping(spaces, 'n1', '/')).toEqual({ space: spaces[1], relation: 'contains' });
    expect(overlapping(spaces, 'n1', '/legal')).toBeNull();
    expect(overlapping(spaces, 'n3', '/team')).toBeNull();
  });

  it('sees a space on the whole node as containing every other', () => {
    const whole = space('whole', '/');
    const inner = space('inner', '/team');
    expect(findRootConflicts([whole, inner])).toEqual([{ nodeId: 'n1', kind: 'nested', spaces: [whole, inner] }]);
  });
});
