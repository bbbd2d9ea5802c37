import { describe, expect, it } from 'vitest';
import { describeNameProblem } from './name-rules';

describe('describeNameProblem', () => {
  it('accepts ordinary names, accents and dots included', () => {
    expect(describeNameProblem('Q1 report (final).v2.pdf')).toBeNull();
    expect(describeNameProblem('été')).toBeNull();
    expect(describeNameProblem('x'.repeat(255))).toBeNull();
  });

  it('refuses "/" with the reason, and a long name for its length, not for slashes', () => {
    expect(describeNameProblem('a/b')).toMatch(/cannot contain "\/"/);
    const long = describeNameProblem('x'.repeat(300));
    expect(long).toMatch(/too long: 300 bytes.*at most 255/);
    expect(long).not.toMatch(/"\/"/);
    // 100 Chinese characters are 300 bytes of UTF-8: too long although short to the eye.
    expect(describeNameProblem('文'.repeat(100))).toMatch(/300 bytes/);
  });

  it('names the other problems', () => {
    expect(describeNameProblem('  ')).toBe('Enter a name.');
    expect(describeNameProblem('..')).toMatch(/"\.\."/);
    expect(describeNameProblem('a\\b')).toMatch(/"\\"/);
    expect(describeNameProblem('a\tb')).toMatch(/control characters/);
    expect(describeNameProblem('a\u2215b')).toMatch(/looks like/);
    expect(describeNameProblem('.courier-staging')).toMatch(/kept by the storage server/);
  });
});
