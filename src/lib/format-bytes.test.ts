import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [1_540_000, '1.5 MB'],
    [52_428_800, '52.4 MB'],
    [250_000_000_000, '250 GB'],
    [-1, '—'],
  ])('%s bytes read "%s"', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });
});
