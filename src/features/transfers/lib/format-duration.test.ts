import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration';

describe('formatDuration', () => {
  it.each([
    [0.2, '1 s'],
    [45, '45 s'],
    [89, '1 min'],
    [600, '10 min'],
    [3600, '1 h'],
    [4800, '1 h 20 min'],
  ])('%s s reads "%s"', (s, words) => expect(formatDuration(s)).toBe(words));
});
