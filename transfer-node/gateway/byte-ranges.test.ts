import { describe, expect, it } from 'vitest';
import { addRange, heldBytes, missingRanges, overlaps } from './byte-ranges';

describe('byte ranges of an upload session', () => {
  it('merges parts that arrive out of order, touching or overlapping', () => {
    let ranges = addRange([], 20, 30);
    ranges = addRange(ranges, 0, 10);
    expect(ranges).toEqual([
      [0, 10],
      [20, 30],
    ]);
    ranges = addRange(ranges, 10, 20);
    expect(ranges).toEqual([[0, 30]]);
    ranges = addRange(ranges, 25, 40);
    expect(ranges).toEqual([[0, 40]]);
    expect(heldBytes(addRange([[0, 5]], 3, 8))).toBe(8);
  });

  it('ignores an empty range and lists what is missing', () => {
    expect(addRange([[0, 4]], 9, 9)).toEqual([[0, 4]]);
    expect(missingRanges([], 10)).toEqual([[0, 10]]);
    expect(
      missingRanges(
        [
          [2, 4],
          [6, 10],
        ],
        12,
      ),
    ).toEqual([
      [0, 2],
      [4, 6],
      [10, 12],
    ]);
    expect(missingRanges([[0, 12]], 12)).toEqual([]);
    expect(missingRanges([], 0)).toEqual([]);
  });

  it('says when two ranges share a byte, not when they only touch', () => {
    expect(overlaps([0, 10], [9, 12])).toBe(true);
    expect(overlaps([0, 10], [10, 12])).toBe(false);
    expect(overlaps([5, 6], [0, 10])).toBe(true);
  });
});
