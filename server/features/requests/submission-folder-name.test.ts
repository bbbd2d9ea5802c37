import { describe, expect, it } from 'vitest';
import { normalizeSpacePath } from '../spaces/space-path';
import { submissionFolderName } from './requests-service';

const at = new Date(Date.UTC(2026, 2, 4, 9, 7));

describe('submissionFolderName', () => {
  it('is the UTC date and time, then the name', () => {
    expect(submissionFolderName(at, 'Ana Example')).toBe('2026-03-04 0907 Ana Example');
  });

  it.each([
    ['../../etc', '2026-03-04 0907 _._etc'],
    ['a/b\\c', '2026-03-04 0907 a_b_c'],
    ['tab\there\nnewline', '2026-03-04 0907 tab_here_newline'],
    ['a: "b" <c>?', '2026-03-04 0907 a_ _b_ _c__'],
    ['...', '2026-03-04 0907 guest'],
    ['   ', '2026-03-04 0907 guest'],
    [null, '2026-03-04 0907 guest'],
    ['ana@example.com', '2026-03-04 0907 ana@example.com'],
    ['x'.repeat(200), `2026-03-04 0907 ${'x'.repeat(60)}`],
  ])('makes %j one safe folder name', (who, expected) => {
    const name = submissionFolderName(at, who);
    expect(name).toBe(expected);
    // One segment the portal's own path rules accept as it is.
    expect(normalizeSpacePath(`/${name}`)).toBe(`/${name}`);
  });

  it('refuses a look-alike of "/" or ".." by falling back to guest', () => {
    expect(submissionFolderName(at, '\u2215etc\u2215passwd')).toBe('2026-03-04 0907 guest');
  });
});
