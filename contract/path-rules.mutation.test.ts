import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, MAX_PATH_CHARS, nameProblem, RESERVED_NAME, splitPath, utf8Length, wholePathProblem } from './path-rules';

const relative = { allowLeadingSlash: false };
const rooted = { allowLeadingSlash: true };

// Every refusal of the rules the portal and the node share, by the problem it names
// (docs/reliability.md, "Mutation testing").
describe('path rules: each refusal and its reason', () => {
  it.each([
    ['a\u0000b', 'nul'],
    ['a\u0001b', 'control'],
    ['a\nb', 'control'],
    ['a\u001fb', 'control'],
    ['a\u007fb', 'control'],
    ['a\\b', 'backslash'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'drive'],
    ['z:x', 'drive'],
    ['a/../b', 'dot-dot'],
    ['..', 'dot-dot'],
    ['a/\u2215b', 'look-alike'],
    ['a/\uff0e\uff0e/b', 'look-alike'],
    ['\uff0e', 'look-alike'],
    ['a\ufe68b', 'look-alike'],
    ['x'.repeat(256), 'name-too-long'],
    ['.courier-staging/x', 'reserved'],
    ['a/.COURIER-Staging', 'reserved'],
  ])('refuses %j as %s (relative)', (input, problem) => {
    expect(splitPath(input, relative)).toEqual({ ok: false, problem });
  });

  it('checks the whole path before its form: a control character wins over a leading slash', () => {
    expect(splitPath('/a\nb', relative)).toEqual({ ok: false, problem: 'control' });
    expect(splitPath('/a\u0000b', relative)).toEqual({ ok: false, problem: 'nul' });
  });

  it('allows a leading slash only when asked, and a drive letter never', () => {
    expect(splitPath('/a/b', rooted)).toEqual({ ok: true, segments: ['a', 'b'] });
    expect(splitPath('/C:/x', rooted)).toEqual({ ok: true, segments: ['C:', 'x'] });
    expect(splitPath('C:x', rooted)).toEqual({ ok: false, problem: 'drive' });
    expect(splitPath('1:x', relative)).toEqual({ ok: true, segments: ['1:x'] });
    expect(splitPath('ab:x', relative)).toEqual({ ok: true, segments: ['ab:x'] });
  });

  it('drops empty and "." segments, keeps names that merely contain dots, and normalizes to NFC', () => {
    expect(splitPath('a//./b/', relative)).toEqual({ ok: true, segments: ['a', 'b'] });
    expect(splitPath('...', relative)).toEqual({ ok: true, segments: ['...'] });
    expect(splitPath('a..b/.c', relative)).toEqual({ ok: true, segments: ['a..b', '.c'] });
    expect(splitPath('e\u0301t\u00e9', relative)).toEqual({ ok: true, segments: ['\u00e9t\u00e9'] });
    expect(splitPath('', relative)).toEqual({ ok: true, segments: [] });
  });

  it('counts the whole length in UTF-16 characters, up to and including the limit', () => {
    const exactly = 'a/'.repeat(MAX_PATH_CHARS / 2);
    expect(exactly.length).toBe(MAX_PATH_CHARS);
    expect(wholePathProblem(exactly)).toBeNull();
    expect(wholePathProblem(exactly + 'a')).toBe('too-long');
    expect(splitPath(exactly + 'a', relative)).toEqual({ ok: false, problem: 'too-long' });
  });

  it('names the first problem of a whole path: length, then NUL, then control, then backslash', () => {
    expect(wholePathProblem('\\'.repeat(MAX_PATH_CHARS + 1))).toBe('too-long');
    expect(wholePathProblem('\u0000\n\\')).toBe('nul');
    expect(wholePathProblem('\n\\')).toBe('control');
    expect(wholePathProblem('a b\t'.slice(0, 3))).toBeNull();
    expect(wholePathProblem('\u0080 \u00a0 é')).toBeNull();
  });

  it('limits a name to 255 bytes of UTF-8, not 255 characters', () => {
    expect(nameProblem('x'.repeat(MAX_NAME_BYTES))).toBeNull();
    expect(nameProblem('x'.repeat(MAX_NAME_BYTES + 1))).toBe('name-too-long');
    // 85 three-byte characters are 255 bytes; one more is 258.
    expect(nameProblem('\u65e5'.repeat(85))).toBeNull();
    expect(nameProblem('\u65e5'.repeat(86))).toBe('name-too-long');
  });

  it('refuses names that read as a separator or dot-dot once compatibility-folded', () => {
    expect(nameProblem('\uff0e\uff0e')).toBe('look-alike'); // fullwidth "..": NFKC ".."
    expect(nameProblem('\uff0e')).toBe('look-alike'); // fullwidth ".": NFKC "."
    expect(nameProblem('a\uff0fb')).toBe('look-alike'); // fullwidth "/": NFKC "/"
    expect(nameProblem('a\uff3cb')).toBe('look-alike'); // fullwidth "\": NFKC "\"
    expect(nameProblem('a\u2044b')).toBe('look-alike'); // fraction slash: NFKC leaves it
    expect(nameProblem('a\u29f5b')).toBe('look-alike');
    expect(nameProblem('a.b')).toBeNull();
  });

  it('reserves the staging folder name in any case, and only that exact name', () => {
    expect(nameProblem(RESERVED_NAME)).toBe('reserved');
    expect(nameProblem(RESERVED_NAME.toUpperCase())).toBe('reserved');
    expect(nameProblem(`${RESERVED_NAME}2`)).toBeNull();
    expect(nameProblem(`x${RESERVED_NAME}`)).toBeNull();
  });

  it('measures UTF-8 bytes per code point at each boundary', () => {
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('\u007f')).toBe(1);
    expect(utf8Length('\u0080')).toBe(2);
    expect(utf8Length('\u07ff')).toBe(2);
    expect(utf8Length('\u0800')).toBe(3);
    expect(utf8Length('\uffff')).toBe(3);
    expect(utf8Length('\u{10000}')).toBe(4);
    expect(utf8Length('a\u00e9\u65e5\u{1f600}')).toBe(Buffer.byteLength('a\u00e9\u65e5\u{1f600}'));
  });
});
